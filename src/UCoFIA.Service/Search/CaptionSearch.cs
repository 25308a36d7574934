using Microsoft.Extensions.Options;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Options;
using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>How many captions to return, how many the recall hands to the re-rank, which levels to combine,
/// and whether each caption's Sinkhorn–Knopp bias applies (off ranks by the raw scores, for comparison).</summary>
public sealed record CaptionQuery(int TopK, int Candidates, GranularitySet Granularities, bool Sinkhorn = true);

/// <summary>Video → text: recall captions by the video vector, then rank them with the full model.</summary>
public sealed class CaptionSearch(
    ModelWorker worker, FeatureRepository features, CaptionRepository captions, CandidateStore videos, IOptions<SearchOptions> options)
{
    /// <summary>Captions for a stored video: all its segments, or only <paramref name="segment"/>.</summary>
    /// <exception cref="Domain.NotFoundException">No stored video has <paramref name="videoId"/>, or no such segment.</exception>
    public async Task<IReadOnlyList<RankedCaption>> SearchAsync(Guid videoId, int? segment, CaptionQuery query, CancellationToken cancellationToken) =>
        await SearchAsync((await videos.GetVideoAsync(videoId, segment, cancellationToken)).Select(s => s.Features).ToList(), query, cancellationToken);

    /// <summary>
    /// Captions for a video's segments, stored or not: recalled by each segment's vector, ranked against each segment
    /// with the full model, and scored by the segment they fit best, as a video hit is.
    /// </summary>
    public async Task<IReadOnlyList<RankedCaption>> SearchAsync(IReadOnlyList<VideoFeatureRows> segments, CaptionQuery query, CancellationToken cancellationToken)
    {
        var (topK, candidateCount, granularities, sinkhorn) = query;
        var ids = new HashSet<Guid>();
        using (ServiceTelemetry.Stage("recall"))
        {
            foreach (var segment in segments)
            {
                ids.UnionWith(await features.RecallCaptionsAsync(segment.Video, candidateCount, options.Value.EfSearch, cancellationToken));
            }
        }
        if (ids.Count == 0)
        {
            return [];
        }
        var maxLength = (await worker.SizesAsync()).TextLength;
        IReadOnlyList<StoredCaptionFeatures> stored;
        using (ServiceTelemetry.Stage("fetch-features"))
        {
            stored = await captions.LoadAsync(ids, cancellationToken);
        }
        var gallery = stored.Select(s => new GalleryCaption(s.Id, s.VideoId, EncodedText.FromStored(s, maxLength), sinkhorn ? s.SkBias : SkBias.None())).ToList();
        using var stage = ServiceTelemetry.Stage("rerank");
        var ranked = new List<RankedCaption>();
        foreach (var segment in segments)
        {
            ranked.AddRange(await worker.RunAsync(model => Reranker.RankCaptions(model, gallery, segment, granularities, gallery.Count), cancellationToken));
        }
        return ranked.GroupBy(r => r.CaptionId).Select(g => g.MaxBy(r => r.Score)!).OrderByDescending(r => r.Score).Take(topK).ToList();
    }
}
