using UCoFIA.Model;
using UCoFIA.Service.Inference;
using UCoFIA.Storage;
using static TorchSharp.torch;

namespace UCoFIA.Service.Search;

/// <summary>
/// Scores a micro-batch of queries against their candidates with the full UCoFIA model:
/// video–sentence, frame–sentence (ISA) and patch–word (Bi-ISA), each shifted by the video's Sinkhorn–Knopp
/// log bias, averaged over the requested granularities. Never a cosine re-sort. Runs on the model worker, which
/// hands it every query waiting at once (<see cref="Instance"/>).
/// </summary>
public sealed class Reranker : IBatchedWork<RerankRequest, RerankResult>
{
    public static readonly Reranker Instance = new();

    /// <summary>Candidates scored per model call; bounds the [T, L, V, F(1+K)] patch–word block.</summary>
    public const int BlockSize = 256;

    /// <summary>A group's candidate union may exceed its largest candidate set by this factor.</summary>
    private const double SharedCandidateSlack = 1.25;

    private Reranker()
    {
    }

    public IReadOnlyList<RerankResult> Execute(UCoFIAModel model, IReadOnlyList<RerankRequest> requests) => Score(model, requests);

    public static IReadOnlyList<RerankResult> Score(UCoFIAModel model, IReadOnlyList<RerankRequest> requests)
    {
        var results = new RerankResult[requests.Count];
        foreach (var group in GroupBySharedCandidates(requests))
        {
            var union = group.SelectMany(i => requests[i].Candidates).DistinctBy(c => c.Id).ToList();
            var matrices = ScoreMatrices.Compute(model, group.Select(i => requests[i].Query).ToList(), union,
                group.Select(i => requests[i].Granularities).Distinct().ToList());
            var column = union.Select((c, v) => (c.Id, v)).ToDictionary(p => p.Id, p => p.v);
            for (var t = 0; t < group.Count; t++)
            {
                results[group[t]] = Rank(requests[group[t]], t, column, matrices);
            }
        }
        return results;
    }

    /// <summary>
    /// Queries are scored together only when their candidates mostly coincide (the same popular query from many
    /// clients): one [T, V] pass then serves all of them. Scoring unrelated queries against the union of their
    /// candidates multiplied the work by the batch size (measured: 10k gallery, concurrency 8, re-rank p50
    /// 88 ms → 2.7 s; docs/performance.md).
    /// </summary>
    internal static List<List<int>> GroupBySharedCandidates(IReadOnlyList<RerankRequest> requests)
    {
        var groups = new List<(List<int> Members, HashSet<Guid> Union, int Largest)>();
        for (var i = 0; i < requests.Count; i++)
        {
            var ids = requests[i].Candidates.Select(c => c.Id).ToHashSet();
            var index = groups.FindIndex(g =>
                g.Union.Count + ids.Count(id => !g.Union.Contains(id)) <= SharedCandidateSlack * Math.Max(g.Largest, ids.Count));
            if (index < 0)
            {
                groups.Add(([i], ids, ids.Count));
                continue;
            }
            var (members, union, largest) = groups[index];
            members.Add(i);
            union.UnionWith(ids);
            groups[index] = (members, union, Math.Max(largest, ids.Count));
        }
        return groups.Select(g => g.Members).ToList();
    }

    /// <summary>
    /// Video → text: the captions play the query role of the same score matrices (T = captions, V = 1), so both
    /// directions share one scoring path. Each caption's own Sinkhorn–Knopp bias is added to its unified score,
    /// as the video's is for text → video; the video's bias would shift every caption equally and is left out.
    /// </summary>
    public static IReadOnlyList<RankedCaption> RankCaptions(UCoFIAModel model, IReadOnlyList<GalleryCaption> captions,
        VideoFeatureRows video, GranularitySet granularities, int topK)
    {
        var unbiased = new GallerySegment(Guid.Empty, Guid.Empty, null, 0, 0, 0, 0, SkBias.None(), video);
        var m = ScoreMatrices.Compute(model, captions.Select(c => c.Text).ToList(), [unbiased], [granularities]);
        var levels = granularities.ToSet();
        return captions
            // The unified score is the mean over levels of (S + bias), so the caption's bias adds its mean over the same levels.
            .Select((c, t) => new RankedCaption(c.Id, c.Text.Text, c.VideoId,
                m.Unified[granularities][t, 0] + levels.Average(g => c.Bias.Levels[(int)g]), new LevelScores(
                granularities.Video ? m.Video[t, 0] : null,
                granularities.Frame ? m.Frame[t, 0] : null,
                granularities.Patch ? m.Patch[t, 0] : null)))
            .OrderByDescending(r => r.Score)
            .Take(topK)
            .ToList();
    }

    private static RerankResult Rank(RerankRequest request, int t, Dictionary<Guid, int> column, ScoreMatrices m)
    {
        var g = request.Granularities;
        return new RerankResult(request.Candidates
            .Select(c => (Candidate: c, Column: column[c.Id]))
            .Select(x => new RankedSegment(
                x.Candidate,
                m.Unified[g][t, x.Column],
                new LevelScores(
                    g.Video ? m.Video[t, x.Column] : null,
                    g.Frame ? m.Frame[t, x.Column] : null,
                    g.Patch ? m.Patch[t, x.Column] : null),
                FrameRow(m.FrameScores, t, x.Column, x.Candidate.Features.FrameCount)))
            .ToList());
    }

    private static float[] FrameRow(float[,,] frameScores, int t, int v, int frames) =>
        Enumerable.Range(0, frames).Select(f => frameScores[t, v, f]).ToArray();

    /// <summary>Score matrices for T queries × V videos, computed block by block over V.</summary>
    private sealed record ScoreMatrices(
        float[,] Video, float[,] Frame, float[,] Patch, float[,,] FrameScores, Dictionary<GranularitySet, float[,]> Unified)
    {
        public static ScoreMatrices Compute(UCoFIAModel model, IReadOnlyList<EncodedText> queries,
            IReadOnlyList<GallerySegment> videos, IReadOnlyList<GranularitySet> sets)
        {
            var t = queries.Count;
            var v = videos.Count;
            var sizes = ModelSizes.Of(model.Config);
            var frames = sizes.Frames;
            var m = new ScoreMatrices(new float[t, v], new float[t, v], new float[t, v], new float[t, v, frames],
                sets.ToDictionary(s => s, _ => new float[t, v]));
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var text = FeatureTensors.ToTextFeatures(queries, model.Device);
            for (var start = 0; start < v; start += BlockSize)
            {
                using var blockScope = NewDisposeScope();
                var block = videos.Skip(start).Take(BlockSize).ToList();
                var video = FeatureTensors.ToVideoFeatures(block.Select(c => c.Features).ToList(), sizes, model.Device);
                var scores = model.Score(text, video);
                var bias = tensor(block.SelectMany(c => c.Bias.Levels).ToArray(), device: model.Device).reshape(block.Count, 3).t(); // [3, Vb]
                CopyInto(m.Video, scores.Video, start);
                CopyInto(m.Frame, scores.Frame, start);
                CopyInto(m.Patch, scores.Patch, start);
                CopyInto(m.FrameScores, scores.FrameScores, start);
                foreach (var set in sets)
                {
                    CopyInto(m.Unified[set], scores.Unified(set.ToSet(), bias), start);
                }
            }
            return m;
        }

        private static void CopyInto(float[,] target, Tensor block, int start)
        {
            var values = block.cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray(); // [T, Vb]
            var width = (int)block.shape[1];
            for (var i = 0; i < target.GetLength(0); i++)
            {
                for (var j = 0; j < width; j++)
                {
                    target[i, start + j] = values[i * width + j];
                }
            }
        }

        private static void CopyInto(float[,,] target, Tensor block, int start)
        {
            var values = block.cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray(); // [T, Vb, F]
            var width = (int)block.shape[1];
            var depth = target.GetLength(2);
            for (var i = 0; i < target.GetLength(0); i++)
            {
                for (var j = 0; j < width; j++)
                {
                    for (var f = 0; f < depth; f++)
                    {
                        target[i, start + j, f] = values[(i * width + j) * depth + f];
                    }
                }
            }
        }
    }
}
