using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>Candidate features from the in-memory cache, the rest fetched from Postgres in one round of queries.</summary>
public sealed class CandidateStore(FeatureRepository repository, FeatureCache cache, ModelWorker worker)
{
    public async Task<IReadOnlyList<CandidateFeatures>> GetAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        using var stage = ServiceTelemetry.Stage("fetch-features");
        var (found, missing) = cache.Lookup(ids);
        if (missing.Count > 0)
        {
            var alignment = (await worker.Model).Config.Alignment;
            var stored = await repository.LoadVideoFeaturesAsync(missing, cancellationToken);
            var loaded = stored.Select(s => FeatureRows.ToCandidate(s, alignment.NumFrames, alignment.TopKPatches)).ToList();
            cache.Add(loaded);
            found.AddRange(loaded);
        }
        return found;
    }
}
