using UCoFIA.Service.Domain;
using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>Candidate segments from the in-memory cache, the rest fetched from Postgres in one round of queries.</summary>
public sealed class CandidateStore(FeatureRepository repository, FeatureCache cache)
{
    public async Task<IReadOnlyList<GallerySegment>> GetAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        using var stage = ServiceTelemetry.Stage("fetch-features");
        var (found, missing) = cache.Lookup(ids);
        if (missing.Count > 0)
        {
            var readAt = cache.Version;
            var loaded = await repository.LoadSegmentsAsync(missing, cancellationToken);
            cache.Add(loaded, readAt);
            found.AddRange(loaded);
        }
        return found;
    }

    /// <summary>A stored video's segments in order, or only segment <paramref name="segment"/> of it.</summary>
    /// <exception cref="NotFoundException">No stored video has <paramref name="videoId"/>, or it has no such segment.</exception>
    public async Task<IReadOnlyList<GallerySegment>> GetVideoAsync(Guid videoId, int? segment, CancellationToken cancellationToken)
    {
        var segments = (await GetAsync(await repository.SegmentIdsOfAsync([videoId], cancellationToken), cancellationToken))
            .Where(s => segment is null || s.Index == segment).OrderBy(s => s.Index).ToList();
        return segments.Count > 0 ? segments
            : segment is { } index ? throw new NotFoundException("Segment", $"Video {videoId} has no segment {index}.")
            : throw new NotFoundException("Video", videoId);
    }
}
