using System.Diagnostics;
using Microsoft.Extensions.Options;
using UCoFIA.Service.Options;
using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>Text → video in two stages: pgvector recall of candidates, then the full UCoFIA re-rank.</summary>
public sealed class VideoSearch(ModelWorker worker, FeatureRepository features, VideoRepository videos, CandidateStore candidates, IOptions<SearchOptions> options)
{
    public async Task<VideoSearchOutcome> SearchAsync(string text, int topK, int candidateCount, GranularitySet granularities, bool exhaustive, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var started = Stopwatch.GetTimestamp();
        EncodedText query;
        using (ServiceTelemetry.Stage("encode"))
        {
            query = (await worker.EncodeTextsAsync([text], cancellationToken))[0];
        }
        var encodeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        started = Stopwatch.GetTimestamp();
        IReadOnlyList<Guid> ids;
        using (ServiceTelemetry.Stage("recall"))
        {
            ids = exhaustive || o.Exhaustive
                ? await videos.AllIdsAsync(cancellationToken)
                : await features.RecallVideosAsync(query.Sentence, candidateCount, o.EfSearch, cancellationToken);
        }
        var recallMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        started = Stopwatch.GetTimestamp();
        var loaded = await candidates.GetAsync(ids, cancellationToken);
        var fetchMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        started = Stopwatch.GetTimestamp();
        RerankResult ranked;
        using (ServiceTelemetry.Stage("rerank"))
        {
            ranked = loaded.Count == 0
                ? new RerankResult([])
                : await worker.RerankAsync(new RerankRequest(query, loaded, granularities, topK), cancellationToken);
        }
        var rerankMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new VideoSearchOutcome(ranked.Videos, loaded.Count, new StageTimings(encodeMs, recallMs, fetchMs, rerankMs));
    }
}

public sealed record VideoSearchOutcome(IReadOnlyList<RankedVideo> Results, int CandidateCount, StageTimings Timings);

public sealed record StageTimings(double EncodeMs, double RecallMs, double FetchMs, double RerankMs);
