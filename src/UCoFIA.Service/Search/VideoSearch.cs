using System.Diagnostics;
using Microsoft.Extensions.Options;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Options;
using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>What to search for: a text, or an image (PNG, JPEG or WebP bytes).</summary>
public sealed record VideoQuery(
    string? Text,
    byte[]? Image,
    int TopK,
    int Candidates,
    GranularitySet Granularities,
    bool Exhaustive,
    VideoFilter? Filter = null,
    SearchCursor? After = null);

/// <summary>
/// Text (or image) → video in two stages: pgvector recall of candidate segments (filtered inside the index scan),
/// then the full UCoFIA re-rank for text, or frame-evidence ranking for an image; each video is scored by its best
/// segment. Results are ordered by (score desc, id) and paged after an optional cursor.
/// </summary>
public sealed class VideoSearch(ModelWorker worker, FeatureRepository features, CandidateStore candidates, IOptions<SearchOptions> options)
{
    public async Task<VideoSearchOutcome> SearchAsync(VideoQuery query, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var started = Stopwatch.GetTimestamp();
        EncodedText? text = null;
        float[] vector;
        using (ServiceTelemetry.Stage("encode-query"))
        {
            if (query.Image is { } image)
            {
                ImageQuery.RequireLevels(query.Granularities);
                var rgb = ImageQuery.Decode(image, (await worker.SizesAsync()).ImageSize);
                vector = await worker.RunAsync(model => ImageQuery.Encode(model, rgb), cancellationToken);
            }
            else
            {
                text = (await worker.EncodeTextsAsync([query.Text!], cancellationToken))[0];
                vector = text.Sentence;
            }
        }
        var encodeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        started = Stopwatch.GetTimestamp();
        IReadOnlyList<Guid> ids;
        using (ServiceTelemetry.Stage("recall"))
        {
            ids = query.Exhaustive || o.Exhaustive
                ? await features.SegmentIdsAsync(cancellationToken, query.Filter)
                : await features.RecallSegmentsAsync(vector, query.Candidates, o.EfSearch, cancellationToken, query.Filter, text?.VideoRecall);
        }
        var recallMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        started = Stopwatch.GetTimestamp();
        var loaded = await candidates.GetAsync(ids, cancellationToken);
        var fetchMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        started = Stopwatch.GetTimestamp();
        IReadOnlyList<RankedVideo> ranked;
        using (ServiceTelemetry.Stage("rerank"))
        {
            // Every candidate is ranked (scoring costs the same), so a page can start anywhere in the ranking.
            var segments = loaded.Count == 0 ? []
                : text is not null
                    ? (await worker.RunBatchedAsync(Reranker.Instance, new RerankRequest(text, loaded, query.Granularities), cancellationToken)).Segments
                    : ImageQuery.Rank(vector, loaded, query.Granularities);
            ranked = VideoHits.FromSegments(segments);
        }
        var ordered = ranked
            .OrderByDescending(r => r.Score).ThenBy(r => r.Id)
            .Where(r => query.After is null || query.After.IsAfter(r.Score, r.Id))
            .ToList();
        var page = ordered.Take(query.TopK).ToList();
        var rerankMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new VideoSearchOutcome(page, loaded.Count, new StageTimings(encodeMs, recallMs, fetchMs, rerankMs), ordered.Count > page.Count);
    }
}

/// <param name="CandidateCount">Segments the recall handed to the re-rank.</param>
/// <param name="HasMore">True when results ranked after the last one of this page remain.</param>
public sealed record VideoSearchOutcome(IReadOnlyList<RankedVideo> Results, int CandidateCount, StageTimings Timings, bool HasMore = false);

public sealed record StageTimings(double EncodeMs, double RecallMs, double FetchMs, double RerankMs);
