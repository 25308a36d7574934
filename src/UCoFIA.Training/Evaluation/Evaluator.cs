using UCoFIA.Media.Synthetic;
using UCoFIA.Model;
using UCoFIA.Training.Data;
using static TorchSharp.torch;

namespace UCoFIA.Training.Evaluation;

/// <summary>
/// One ablation row: its name and both directions' metrics over the whole split, plus, on a split of groups (the
/// hard split), each query ranked against its own group only.
/// </summary>
public sealed record AblationResult(string Name, RetrievalMetrics TextToVideo, RetrievalMetrics VideoToText,
    RetrievalMetrics? GroupTextToVideo = null, RetrievalMetrics? GroupVideoToText = null);

/// <summary>The ablation rows' names, which the differences table looks up.</summary>
public static class Variant
{
    public const string Video = "Video–sentence only";
    public const string Frame = "Frame–sentence only";
    public const string Patch = "Patch–word only";
    public const string Coarse = "Coarse (video + frame)";
    public const string Unified = "All three (unified)";
    public const string Mean = "Aggregation: mean";
    public const string Softmax = "Aggregation: softmax";
    public const string AllPatches = "All patches (no top-K selection)";
    public const string WordsFirst = "Patch–word words-first only";
    public const string PatchesFirst = "Patch–word patches-first only";
    public const string Sinkhorn = "All three + Sinkhorn–Knopp";
}

/// <summary>
/// Evaluates one trained model on a synthetic split: gallery = the split's clips, one query caption per clip (its
/// first), so both directions are N×N with the matches on the diagonal. Every ablation changes inference only, and
/// each granularity is scored once per setting that changes it: the rows are means of those score matrices.
/// </summary>
public sealed class Evaluator(UCoFIAModel model)
{
    private static readonly Granularity[] All = [Granularity.Video, Granularity.Frame, Granularity.Patch];
    private static readonly HashSet<Granularity> CoarseOnly = [Granularity.Video, Granularity.Frame];
    private static readonly HashSet<Granularity> FineOnly = [Granularity.Frame, Granularity.Patch];
    private static readonly HashSet<Granularity> PatchOnly = [Granularity.Patch];

    /// <summary>The full model (three granularities, ISA, Bi-ISA, top-K patches), without Sinkhorn–Knopp.</summary>
    public AblationResult Full(IReadOnlyList<CorpusItem> items)
    {
        using var scope = NewDisposeScope();
        using var text = model.EncodeText(items.Select(i => i.Captions[0]).ToArray());
        using var video = EncodeVideos(items, ScoreOptions.Default);
        using var scores = model.Score(text, video, ScoreOptions.Default);
        return Measure(Variant.Unified, scores.Unified(ScoreOptions.AllGranularities), null, items);
    }

    /// <summary>The ablation table's rows, in order.</summary>
    /// <param name="bankCaptions">training captions, the text→video Sinkhorn–Knopp bank</param>
    /// <param name="bankClips">training clips, the video→text Sinkhorn–Knopp bank</param>
    /// <param name="allPatches">false leaves out the "all patches" row: its F·(1+P)-token stream costs about 10× the
    /// other rows together (more than 20 minutes per core at 1,000 × 1,000)</param>
    public IReadOnlyList<AblationResult> Ablations(IReadOnlyList<CorpusItem> items, IReadOnlyList<string> bankCaptions,
        IReadOnlyList<CorpusItem> bankClips, IProgress<string>? progress = null, bool allPatches = true)
    {
        using var scope = NewDisposeScope();
        using var text = model.EncodeText(items.Select(i => i.Captions[0]).ToArray());
        using var video = EncodeVideos(items, ScoreOptions.Default);

        progress?.Report("video and frame scores");
        using var coarse = model.Score(text, video, ScoreOptions.Default with { Granularities = CoarseOnly });
        var (v, f) = (coarse.Video, coarse.Frame); // [T, V] each
        progress?.Report("patch–word, each Bi-ISA direction");
        using var wordsFirst = model.Score(text, video, ScoreOptions.Default with { Granularities = PatchOnly, Direction = PatchWordDirection.WordsFirst });
        using var patchesFirst = model.Score(text, video, ScoreOptions.Default with { Granularities = PatchOnly, Direction = PatchWordDirection.PatchesFirst });
        // Bi-ISA is the mean of its two orders (BiIsa.Aggregate), so the full patch score needs no third pass.
        var patch = Mean(wordsFirst.Patch, patchesFirst.Patch);
        progress?.Report("mean and softmax aggregation");
        using var mean = model.Score(text, video, ScoreOptions.Default with { Granularities = FineOnly, Aggregation = Aggregation.Mean });
        using var softmax = model.Score(text, video, ScoreOptions.Default with { Granularities = FineOnly, Aggregation = Aggregation.Softmax });

        var rows = new List<AblationResult>
        {
            Measure(Variant.Video, v, null, items),
            Measure(Variant.Frame, f, null, items),
            Measure(Variant.Patch, patch, null, items),
            Measure(Variant.Coarse, Mean(v, f), null, items),
            Measure(Variant.Unified, Mean(v, f, patch), null, items),
            Measure(Variant.Mean, Mean(v, mean.Frame, mean.Patch), null, items),
            Measure(Variant.Softmax, Mean(v, softmax.Frame, softmax.Patch), null, items),
            Measure(Variant.WordsFirst, Mean(v, f, wordsFirst.Patch), null, items),
            Measure(Variant.PatchesFirst, Mean(v, f, patchesFirst.Patch), null, items),
        };
        if (allPatches)
        {
            progress?.Report("all patches");
            using var every = EncodeVideos(items, ScoreOptions.Default with { SelectPatches = false });
            using var everyScore = model.Score(text, every, ScoreOptions.Default with { Granularities = PatchOnly, SelectPatches = false });
            rows.Insert(rows.FindIndex(r => r.Name == Variant.WordsFirst), Measure(Variant.AllPatches, Mean(v, f, everyScore.Patch), null, items));
        }

        progress?.Report("Sinkhorn–Knopp");
        using var bankText = model.EncodeText(bankCaptions);
        using var bankVideo = EncodeVideos(bankClips, ScoreOptions.Default);
        using var bankT2V = model.Score(bankText, video, ScoreOptions.Default); // [Qb, V]
        using var bankV2T = model.Score(text, bankVideo, ScoreOptions.Default); // [T, Vb]
        var iterations = model.Config.Alignment.SinkhornIterations;
        var scores = new[] { v, f, patch };
        var videoBias = All.Select(g => SinkhornKnopp.BatchLogBias(bankT2V[g], iterations).unsqueeze(0)).ToArray(); // [1, V] each
        var textBias = All.Select(g => SinkhornKnopp.BatchLogBias(bankV2T[g].t(), iterations).unsqueeze(1)).ToArray(); // [T, 1] each
        rows.Add(Measure(Variant.Sinkhorn, Mean(scores.Select((s, g) => s.Plus(videoBias[g])).ToArray()),
            Mean(scores.Select((s, g) => s.Plus(textBias[g])).ToArray()), items));
        return rows;
    }

    // ScalarOps rather than + and /: the operators' temporary Scalars may be finalized during their native call.
    private static Tensor Mean(params Tensor[] scores) => scores.Aggregate((a, b) => a.Plus(b)).Over(scores.Length);

    /// <summary>[B, F, 3, S, S] in batches of 64 clips.</summary>
    private VideoFeatures EncodeVideos(IReadOnlyList<CorpusItem> items, ScoreOptions options)
    {
        var (frames, size) = (model.Config.Alignment.NumFrames, model.Config.Vision.ImageSize);
        var parts = new List<VideoFeatures>();
        for (var start = 0; start < items.Count; start += 64)
        {
            var chunk = items.Skip(start).Take(64).ToArray();
            var (pixels, mask) = SyntheticData.RenderBatch(chunk, frames, size).ToTensors();
            using (pixels)
            using (mask)
                parts.Add(model.EncodeVideo(pixels, mask, options));
        }
        var result = new VideoFeatures(cat(parts.Select(p => p.Video).ToArray(), 0), cat(parts.Select(p => p.Stream).ToArray(), 0),
            cat(parts.Select(p => p.FrameMask).ToArray(), 0));
        foreach (var part in parts)
            part.Dispose();
        return result;
    }

    /// <param name="textToVideo">[T, V] text→video score</param>
    /// <param name="videoToText">[T, V] score ranked per video, when it differs from text→video (Sinkhorn–Knopp)</param>
    private static AblationResult Measure(string name, Tensor textToVideo, Tensor? videoToText, IReadOnlyList<CorpusItem> items)
    {
        var n = items.Count;
        var t2v = textToVideo.detach().cpu().contiguous().data<float>().ToArray();
        var v2t = RetrievalMetrics.Transpose((videoToText ?? textToVideo).detach().cpu().contiguous().data<float>().ToArray(), n, n);
        var groups = items.Select(i => i.Group).ToArray();
        var grouped = groups.Any(g => g is not null);
        return new AblationResult(name, RetrievalMetrics.FromDiagonal(t2v, n), RetrievalMetrics.FromDiagonal(v2t, n),
            grouped ? RetrievalMetrics.WithinGroups(t2v, n, groups) : null,
            grouped ? RetrievalMetrics.WithinGroups(v2t, n, groups) : null);
    }
}
