using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using UCoFIA.Cli.Client;
using UCoFIA.Media.Synthetic;
using UCoFIA.Model;
using UCoFIA.Service.Inference;
using UCoFIA.Storage;

namespace UCoFIA.Cli.Bench;

/// <summary>Runs the benchmark steps in order: ingestion of real MP4s, then for each size fill → latency → agreement.</summary>
public sealed class BenchRunner(BenchOptions options, ServiceClient service, TextWriter log)
{
    private const int TopK = 10;

    /// <summary>The service's ingestion stages (its <c>ucofia_stage_duration</c> labels), summed by the ingestion run.</summary>
    public static readonly IReadOnlyList<string> IngestionStages = ["probe", "decode", "encode-video", "store"];

    /// <summary>The <see cref="ServiceClient.MetricsAsync"/> key of a stage's summed duration.</summary>
    public static string StageSumKey(string stage) => $"ucofia_stage_duration_milliseconds_sum{{stage={stage}}}";

    public async Task<BenchRun> RunAsync(CancellationToken ct)
    {
        var started = DateTimeOffset.Now;
        var loadBefore = MachineInfo.LoadAverage();
        using var model = UCoFIAModel.Load(options.ModelPath, "cpu", threads: 1);
        await using var dataSource = DataSourceFactory.Create(options.Connection);
        await new SchemaMigrator(dataSource).MigrateAsync(model.Config.ProjectionDim, ct);

        var corpus = new CorpusGenerator(options.Seed).Generate(new CorpusOptions(
            TrainCount: options.Pool, ValidationCount: 0, TestCount: Math.Max(options.Queries, options.AgreementQueries), HardGroups: 0));
        var queries = corpus.Test.Select(item => item.Captions[0]).ToList();

        var (ingest, ingestUnderLoad) = options.IngestVideos > 0
            ? await IngestAsync(corpus.Test.Take(options.IngestVideos).ToList(), queries, ct)
            : (null, null);

        var present = (int)await new VideoRepository(dataSource).CountAsync(ct);
        GalleryFiller? filler = null;
        var poolEncode = TimeSpan.Zero;
        // The pool is encoded only when a size needs rows: a latency run on a gallery filled before skips minutes of it.
        if (options.Sizes.Any(size => size > present))
        {
            log.WriteLine($"encoding a pool of {options.Pool} synthetic videos");
            (filler, poolEncode) = GalleryFiller.Create(model, corpus.Train.Select(i => i.Scene).ToList(), options.Noise, options.Seed);
            log.WriteLine($"  {poolEncode.TotalSeconds:F1} s");
        }

        // One query per call, as the service encodes a single search (no padding to a batch's longest query).
        var encoded = queries.Select(query => FeatureTensors.EncodeTexts(model, [query])[0]).ToArray();

        var fills = new List<FillResult>();
        var latency = new List<LatencyResult>();
        var agreement = new List<AgreementResult>();
        var recall = new List<RecallCell>();
        foreach (var size in options.Sizes.Order())
        {
            fills.Add(await FillAsync(dataSource, filler, present, size, ct));
            present = Math.Max(present, size);
            foreach (var concurrency in options.Concurrency)
            {
                latency.Add(await LatencyAsync(size, concurrency, queries.Take(options.Queries).ToList(), ct));
            }
            var (agree, cells) = await AgreementAsync(dataSource, size, queries.Take(options.AgreementQueries).ToList(),
                encoded.Take(options.AgreementQueries).ToList(), ct);
            agreement.AddRange(agree);
            recall.AddRange(cells);
        }
        return new BenchRun(started, MachineInfo.Describe(), loadBefore, MachineInfo.LoadAverage(), options, poolEncode.TotalSeconds,
            fills, latency, agreement, recall, ingest, ingestUnderLoad);
    }

    private async Task<FillResult> FillAsync(NpgsqlDataSource dataSource, GalleryFiller? filler, int present, int size, CancellationToken ct)
    {
        var added = Math.Max(0, size - present);
        log.WriteLine($"[{size}] bulk-loading {added} videos (load {MachineInfo.LoadAverage()})");
        var result = added == 0
            ? new BulkLoadResult(0, 0, TimeSpan.Zero, TimeSpan.Zero)
            : await new BulkLoader(dataSource).LoadAsync(filler!.Videos(present, size), ct);
        var bytes = await GalleryFiller.FeatureBytesAsync(dataSource, ct);
        log.WriteLine($"  copy {result.Copy.TotalSeconds:F1} s ({result.Rows} rows), index build {result.IndexBuild.TotalSeconds:F1} s, {bytes.Count} videos");
        return new FillResult(size, added, result.Copy.TotalSeconds, result.IndexBuild.TotalSeconds, bytes.Videos, bytes.Frames, bytes.Patches, bytes.Count);
    }

    private async Task<LatencyResult> LatencyAsync(int size, int concurrency, IReadOnlyList<string> queries, CancellationToken ct)
    {
        var candidates = options.LatencyCandidates;
        // Warm-up: the JIT (a fresh service compiles its hot paths again at tier 1 over its first few hundred requests,
        // which showed as 100-900 ms stalls in the worker's stages), the connection pool, and the feature cache's steady
        // state for this query set: every query once at least, then round again up to --warmup.
        for (var w = 0; w < Math.Max(queries.Count, options.Warmup); w++)
        {
            await service.SearchAsync(queries[w % queries.Count], candidates, false, ct, TopK);
        }
        var before = await service.MetricsAsync("ucofia_feature_cache", ct);
        var calls = new ConcurrentBag<SearchCall>();
        var next = -1;
        var failures = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < queries.Count)
            {
                try
                {
                    calls.Add(await service.SearchAsync(queries[i], candidates, false, ct, TopK));
                }
                catch (HttpRequestException e)
                {
                    // A failed search is counted and reported, not fatal: the run is still worth its other numbers.
                    Interlocked.Increment(ref failures);
                    log.WriteLine($"  search failed: {e.Message}");
                }
            }
        }));
        wall.Stop();
        var after = await service.MetricsAsync("ucofia_feature_cache", ct);
        var hits = ServiceClient.Delta(before, after, "ucofia_feature_cache_lookups_total{outcome=hit}");
        var misses = ServiceClient.Delta(before, after, "ucofia_feature_cache_lookups_total{outcome=miss}");
        var result = new LatencyResult(size, concurrency, candidates,
            Percentiles.Of(calls.Select(c => c.Timings.EncodeMs)), Percentiles.Of(calls.Select(c => c.Timings.RecallMs)),
            Percentiles.Of(calls.Select(c => c.Timings.FetchMs)), Percentiles.Of(calls.Select(c => c.Timings.RerankMs)),
            Percentiles.Of(calls.Select(c => c.TotalMs)), queries.Count / wall.Elapsed.TotalSeconds,
            hits + misses == 0 ? double.NaN : hits / (hits + misses), failures);
        log.WriteLine($"[{size}] c={concurrency}: total p50 {result.Total.P50:F1} p95 {result.Total.P95:F1} p99 {result.Total.P99:F1} ms, {result.QueriesPerSecond:F1} q/s, cache hits {result.CacheHitRate:P0}, {failures} failed");
        return result;
    }

    private async Task<(List<AgreementResult>, List<RecallCell>)> AgreementAsync(
        NpgsqlDataSource dataSource, int size, IReadOnlyList<string> queries, IReadOnlyList<EncodedText> encoded, CancellationToken ct)
    {
        var truth = new List<IReadOnlyList<Guid>>();
        var exhaustiveMs = new List<double>();
        foreach (var query in queries)
        {
            var call = await TrySearchAsync(query, options.Candidates.Max(), true, ct);
            truth.Add(call?.Ids ?? []);
            if (call is not null)
            {
                exhaustiveMs.Add(call.TotalMs);
            }
        }
        var repository = new FeatureRepository(dataSource);
        var results = new List<AgreementResult>();
        foreach (var candidates in options.Candidates)
        {
            var overlaps = new List<double>();
            foreach (var query in queries)
            {
                var q = overlaps.Count;
                var call = truth[q].Count == 0 ? null : await TrySearchAsync(query, candidates, false, ct);
                // A query whose exhaustive or two-stage call failed is left out (NaN), not counted as agreeing.
                overlaps.Add(call is null ? double.NaN : Agreement.Overlap(truth[q], call.Ids, TopK));
            }
            var contained = new List<double>();
            for (var q = 0; q < encoded.Count; q++)
            {
                var ids = await repository.RecallSegmentsAsync(encoded[q].Sentence, candidates, ServiceDefaultEfSearch, ct, videoQuery: encoded[q].VideoRecall);
                if (truth[q].Count > 0)
                {
                    contained.Add(Agreement.Contained(truth[q], ids.ToHashSet(), TopK));
                }
            }
            var valid = overlaps.Where(o => !double.IsNaN(o)).DefaultIfEmpty(double.NaN).ToList();
            var result = new AgreementResult(size, candidates, valid.Average(), valid.Min(), contained.DefaultIfEmpty(double.NaN).Average(),
                exhaustiveMs.DefaultIfEmpty(double.NaN).Average(), overlaps.Count(double.IsNaN));
            results.Add(result);
            log.WriteLine($"[{size}] candidates {candidates}: top-10 overlap {result.Overlap:F3} (min {result.MinOverlap:F2}), true top-10 in candidates {result.Contained:F3}");
        }
        var cells = new List<RecallCell>();
        foreach (var candidates in options.Candidates)
        {
            foreach (var ef in options.EfSearch)
            {
                var contained = new List<double>();
                var times = new List<double>();
                for (var q = 0; q < encoded.Count; q++)
                {
                    var watch = Stopwatch.StartNew();
                    var ids = await repository.RecallSegmentsAsync(encoded[q].Sentence, candidates, ef, ct, videoQuery: encoded[q].VideoRecall);
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    if (truth[q].Count > 0)
                    {
                        contained.Add(Agreement.Contained(truth[q], ids.ToHashSet(), TopK));
                    }
                }
                cells.Add(new RecallCell(size, candidates, ef, contained.DefaultIfEmpty(double.NaN).Average(), Percentiles.Of(times)));
            }
        }
        return (results, cells);
    }

    private async Task<SearchCall?> TrySearchAsync(string query, int candidates, bool exhaustive, CancellationToken ct)
    {
        try
        {
            return await service.SearchAsync(query, candidates, exhaustive, ct, TopK);
        }
        catch (HttpRequestException e)
        {
            log.WriteLine($"  search failed ({(exhaustive ? "exhaustive" : $"{candidates} candidates")}): {e.Message}");
            return null;
        }
    }

    /// <summary>The service's Search:EfSearch default; the in-process containment uses it so it matches the service.</summary>
    private const int ServiceDefaultEfSearch = 100;

    /// <summary>Ingestion of fresh MP4s alone, then (with <c>--load-clients</c>) the same MP4s again while that many clients search.</summary>
    private async Task<(IngestResult Alone, IngestResult? UnderLoad)> IngestAsync(IReadOnlyList<CorpusItem> items, IReadOnlyList<string> queries, CancellationToken ct)
    {
        const double fps = 25;
        var frameCount = (int)Math.Round(options.IngestSeconds * fps);
        var folder = Path.Combine(Path.GetTempPath(), $"ucofia-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            log.WriteLine($"writing {items.Count} MP4s of {options.IngestSeconds:F0} s at {options.IngestSize}² and {fps} fps");
            var paths = new List<string>();
            foreach (var item in items)
            {
                var path = Path.Combine(folder, $"{item.Id}-{options.Seed}.mp4");
                await Mp4Writer.WriteAsync(SceneRenderer.Render(item.Scene, frameCount, options.IngestSize), options.IngestSize, fps, path, ct);
                paths.Add(path);
            }
            var videoSeconds = items.Count * frameCount / fps;
            var alone = await TimeIngestionAsync(paths, videoSeconds, ct);
            log.WriteLine($"ingested {alone.VideoSeconds:F0} s of video in {alone.WallSeconds:F1} s: {alone.RealTimeFactor:F1}× real time");
            if (options.LoadClients == 0)
            {
                return (alone, null);
            }
            using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var load = SearchLoad.StartAsync(service, queries, options.LatencyCandidates, options.LoadClients, stopLoad.Token);
            var loaded = await TimeIngestionAsync(paths, videoSeconds, ct);
            await stopLoad.CancelAsync();
            var (searches, failed) = await load;
            loaded = loaded with { LoadClients = options.LoadClients, LoadSearches = searches, LoadFailedSearches = failed };
            log.WriteLine($"under {options.LoadClients} searching clients ({searches} searches, {failed} failed): {loaded.RealTimeFactor:F1}× real time, " +
                $"{loaded.RealTimeFactor / alone.RealTimeFactor:P0} of the rate alone");
            return (alone, loaded);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Uploads every file (replacing an earlier copy), waits for all jobs, and sums the service's stage times meanwhile.</summary>
    private async Task<IngestResult> TimeIngestionAsync(IReadOnlyList<string> paths, double videoSeconds, CancellationToken ct)
    {
        var before = await service.MetricsAsync("ucofia_stage_duration", ct);
        var wall = Stopwatch.StartNew();
        var jobs = new List<Guid>();
        foreach (var path in paths)
        {
            jobs.Add(await service.UploadFreshAsync(path, ct));
        }
        foreach (var job in jobs)
        {
            await service.WaitForJobAsync(job, ct);
        }
        wall.Stop();
        var after = await service.MetricsAsync("ucofia_stage_duration", ct);
        var stages = IngestionStages.ToDictionary(s => s, s => ServiceClient.Delta(before, after, StageSumKey(s)) / 1000);
        return new IngestResult(paths.Count, videoSeconds, wall.Elapsed.TotalSeconds, Environment.ProcessorCount, stages);
    }
}

/// <summary>What the numbers ran on.</summary>
public static class MachineInfo
{
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores, {cpu ?? "unknown CPU"}, {Environment.OSVersion}, .NET {Environment.Version}";
    }
}
