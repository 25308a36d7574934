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
    /// <summary>Captions for a stored video.</summary>
    /// <exception cref="Domain.NotFoundException">No stored video has <paramref name="videoId"/>.</exception>
    public async Task<IReadOnlyList<RankedCaption>> SearchAsync(Guid videoId, CaptionQuery query, CancellationToken cancellationToken) =>
        await SearchAsync((await videos.GetOneAsync(videoId, cancellationToken)).Features, query, cancellationToken);

    /// <summary>Captions for a video's features, stored or not.</summary>
    public async Task<IReadOnlyList<RankedCaption>> SearchAsync(VideoFeatureRows video, CaptionQuery query, CancellationToken cancellationToken)
    {
        var (topK, candidateCount, granularities, sinkhorn) = query;
        IReadOnlyList<Guid> ids;
        using (ServiceTelemetry.Stage("recall"))
        {
            ids = await features.RecallCaptionsAsync(video.Video, candidateCount, options.Value.EfSearch, cancellationToken);
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
        return await worker.RunAsync(model => Reranker.RankCaptions(model, gallery, video, granularities, topK), cancellationToken);
    }
}
