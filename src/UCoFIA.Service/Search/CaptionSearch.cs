using Microsoft.Extensions.Options;
using UCoFIA.Service.Options;
using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>Video → text: recall captions by the video vector, then rank them with the full model.</summary>
public sealed class CaptionSearch(ModelWorker worker, FeatureRepository features, CaptionRepository captions, IOptions<SearchOptions> options)
{
    public async Task<IReadOnlyList<RankedCaption>> SearchAsync(CandidateFeatures video, int topK, int candidateCount, GranularitySet granularities, CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> ids;
        using (ServiceTelemetry.Stage("recall"))
        {
            ids = await features.RecallCaptionsAsync(video.Video, candidateCount, options.Value.EfSearch, cancellationToken);
        }
        if (ids.Count == 0)
        {
            return [];
        }
        var maxLength = (await worker.Model).Config.Text.MaxPositions;
        IReadOnlyList<StoredCaptionFeatures> stored;
        using (ServiceTelemetry.Stage("fetch-features"))
        {
            stored = await captions.LoadAsync(ids, cancellationToken);
        }
        var gallery = stored.Select(s => (s.Id, s.VideoId, CaptionGallery.ToEncoded(s, maxLength))).ToList();
        using var stage = ServiceTelemetry.Stage("rerank");
        return await worker.RunAsync(model => Reranker.RankCaptions(model, gallery, video, granularities, topK), cancellationToken);
    }
}
