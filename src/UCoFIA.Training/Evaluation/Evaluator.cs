using UCoFIA.Media.Synthetic;
using UCoFIA.Model;
using UCoFIA.Training.Data;
using static TorchSharp.torch;

namespace UCoFIA.Training.Evaluation;

/// <summary>One ablation row: its name and both directions' metrics.</summary>
public sealed record AblationResult(string Name, RetrievalMetrics TextToVideo, RetrievalMetrics VideoToText);

/// <summary>
/// Evaluates one trained model on a synthetic split: gallery = the split's clips, one query caption per clip (its
/// first), so both directions are N×N with the matches on the diagonal. Every ablation changes inference only.
/// </summary>
public sealed class Evaluator(UCoFIAModel model)
{
    private static readonly Granularity[] All = [Granularity.Video, Granularity.Frame, Granularity.Patch];

    /// <summary>The full model (three granularities, ISA, Bi-ISA, top-K patches), without Sinkhorn–Knopp.</summary>
    public AblationResult Full(IReadOnlyList<CorpusItem> items)
    {
        using var scope = NewDisposeScope();
        using var text = model.EncodeText(items.Select(i => i.Captions[0]).ToArray());
        using var video = EncodeVideos(items, ScoreOptions.Default);
        using var scores = model.Score(text, video, ScoreOptions.Default);
        return Measure("All three (unified)", scores.Unified(ScoreOptions.AllGranularities), null, null);
    }

    /// <summary>The ablation table's rows, in order.</summary>
    /// <param name="bankCaptions">training captions, the text→video Sinkhorn–Knopp bank</param>
    /// <param name="bankClips">training clips, the video→text Sinkhorn–Knopp bank</param>
    public IReadOnlyList<AblationResult> Ablations(IReadOnlyList<CorpusItem> items, IReadOnlyList<string> bankCaptions,
        IReadOnlyList<CorpusItem> bankClips, IProgress<string>? progress = null)
    {
        using var scope = NewDisposeScope();
        var rows = new List<AblationResult>();
        using var text = model.EncodeText(items.Select(i => i.Captions[0]).ToArray());
        using var video = EncodeVideos(items, ScoreOptions.Default);
        using var allPatches = EncodeVideos(items, ScoreOptions.Default with { SelectPatches = false });
        using var bankText = model.EncodeText(bankCaptions);
        using var bankVideo = EncodeVideos(bankClips, ScoreOptions.Default);

        progress?.Report("scoring the full model");
        using var full = model.Score(text, video, ScoreOptions.Default);
        HashSet<Granularity> Set(params Granularity[] g) => [.. g];
        rows.Add(Measure("Video–sentence only", full.Unified(Set(Granularity.Video)), null, null));
        rows.Add(Measure("Frame–sentence only", full.Unified(Set(Granularity.Frame)), null, null));
        rows.Add(Measure("Patch–word only", full.Unified(Set(Granularity.Patch)), null, null));
        rows.Add(Measure("Coarse (video + frame)", full.Unified(Set(Granularity.Video, Granularity.Frame)), null, null));
        rows.Add(Measure("All three (unified)", full.Unified(ScoreOptions.AllGranularities), null, null));

        // The inference-time variants, in table order; each is the full model with one option changed.
        foreach (var (name, features, options) in new (string, VideoFeatures, ScoreOptions)[]
        {
            ("Aggregation: mean", video, ScoreOptions.Default with { Aggregation = Aggregation.Mean }),
            ("Aggregation: softmax", video, ScoreOptions.Default with { Aggregation = Aggregation.Softmax }),
            ("All patches (no top-K selection)", allPatches, ScoreOptions.Default with { SelectPatches = false }),
            ("Patch–word words-first only", video, ScoreOptions.Default with { Direction = PatchWordDirection.WordsFirst }),
            ("Patch–word patches-first only", video, ScoreOptions.Default with { Direction = PatchWordDirection.PatchesFirst }),
        })
        {
            progress?.Report(name);
            using var s = model.Score(text, features, options);
            rows.Add(Measure(name, s.Unified(ScoreOptions.AllGranularities), null, null));
        }

        progress?.Report("Sinkhorn–Knopp");
        using var bankT2V = model.Score(bankText, video, ScoreOptions.Default); // [Qb, V]
        using var bankV2T = model.Score(text, bankVideo, ScoreOptions.Default); // [T, Vb]
        var iterations = model.Config.Alignment.SinkhornIterations;
        var videoBias = stack(All.Select(g => SinkhornKnopp.BatchLogBias(bankT2V[g], iterations)).ToArray()); // [3, V]
        var textBias = stack(All.Select(g => SinkhornKnopp.BatchLogBias(bankV2T[g].t(), iterations)).ToArray()); // [3, T]
        rows.Add(Measure("All three + Sinkhorn–Knopp", full.Unified(ScoreOptions.AllGranularities, videoBias),
            full, textBias));
        return rows;
    }

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
        var result = new VideoFeatures(cat(parts.Select(p => p.Video).ToArray(), 0), cat(parts.Select(p => p.Frames).ToArray(), 0),
            cat(parts.Select(p => p.FrameMask).ToArray(), 0), cat(parts.Select(p => p.Patches).ToArray(), 0));
        foreach (var part in parts)
            part.Dispose();
        return result;
    }

    /// <param name="textToVideo">[T, V] unified text→video score</param>
    /// <param name="perGranularity">when set, video→text uses its scores plus <paramref name="textBias"/> [3, T]</param>
    private static AblationResult Measure(string name, Tensor textToVideo, ScoreResult? perGranularity, Tensor? textBias)
    {
        var (t, v) = ((int)textToVideo.shape[0], (int)textToVideo.shape[1]);
        var t2v = textToVideo.detach().cpu().contiguous().data<float>().ToArray();
        float[] v2t;
        if (perGranularity is not null && textBias is not null)
        {
            var sum = zeros_like(perGranularity.Video);
            foreach (var g in All)
                sum += perGranularity[g] + textBias[(int)g].unsqueeze(1); // [T, V] + [T, 1]
            v2t = (sum / All.Length).t().contiguous().data<float>().ToArray(); // [V, T]
        }
        else
        {
            v2t = RetrievalMetrics.Transpose(t2v, t, v);
        }
        return new AblationResult(name, RetrievalMetrics.FromDiagonal(t2v, t), RetrievalMetrics.FromDiagonal(v2t, v));
    }
}
