using UCoFIA.Service.Domain;
using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>Candidate features from the in-memory cache, the rest fetched from Postgres in one round of queries.</summary>
public sealed class CandidateStore(FeatureRepository repository, FeatureCache cache)
{
    public async Task<IReadOnlyList<GalleryVideo>> GetAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        using var stage = ServiceTelemetry.Stage("fetch-features");
        var (found, missing) = cache.Lookup(ids);
        if (missing.Count > 0)
        {
            var loaded = await repository.LoadVideoFeaturesAsync(missing, cancellationToken);
            cache.Add(loaded);
            found.AddRange(loaded);
        }
        return found;
    }

    /// <exception cref="NotFoundException">No stored video has <paramref name="id"/>.</exception>
    public async Task<GalleryVideo> GetOneAsync(Guid id, CancellationToken cancellationToken) =>
        (await GetAsync([id], cancellationToken)).FirstOrDefault() ?? throw new NotFoundException("Video", id);
}
