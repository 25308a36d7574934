using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using UCoFIA.Tests.Shared;
using Xunit.Abstractions;

namespace UCoFIA.Service.Tests.Reliability;

/// <summary>
/// Bounded load on loopback against the real process: concurrent clients mixing search, upload and delete for a fixed
/// time. Reports the error count and p95 latency; every acknowledged upload that was not deleted must end up stored
/// whole and searchable. Slow: UCOFIA_SLOW_TESTS=1; UCOFIA_LOAD_CLIENTS and UCOFIA_LOAD_SECONDS size it.
/// </summary>
public sealed class LoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("ucofia-load-").FullName;
    private TestDatabase? _database;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        TinyCheckpoint.Write(Path.Combine(_root, "model"));
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        Directory.Delete(_root, recursive: true);
    }

    [SlowFact]
    public async Task MixedLoad_ConcurrentClients_NoServerErrorsAndEveryAcknowledgedUploadSearchable()
    {
        var clients = int.Parse(Environment.GetEnvironmentVariable("UCOFIA_LOAD_CLIENTS") ?? "50", System.Globalization.CultureInfo.InvariantCulture);
        var seconds = int.Parse(Environment.GetEnvironmentVariable("UCOFIA_LOAD_SECONDS") ?? "60", System.Globalization.CultureInfo.InvariantCulture);
        var clip = await TestVideos.Mp4Async(120, 60, 200, frames: 12, size: 48);
        await using var service = await ServiceProcess.StartAsync(_database!.ConnectionString, Path.Combine(_root, "model"), Path.Combine(_root, "data"));
        var latencies = new ConcurrentBag<(string Kind, double Ms, int Status)>();
        var acknowledged = new ConcurrentDictionary<Guid, Guid>(); // job → video
        var deleted = new ConcurrentDictionary<Guid, bool>();
        var seed = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var workers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            while (!stop.IsCancellationRequested)
            {
                var roll = random.NextDouble();
                var kind = roll < 0.7 ? "search" : roll < 0.9 ? "upload" : "delete";
                var watch = Stopwatch.StartNew();
                int status;
                try
                {
                    if (kind == "search")
                    {
                        using var r = await service.Client.PostAsJsonAsync("/api/search/videos", new { text = "a purple square moves", topK = 10 });
                        status = (int)r.StatusCode;
                    }
                    else if (kind == "upload")
                    {
                        using var r = await service.Client.PostAsync("/api/videos", BadInput.Form(ServiceProcess.Unique(clip, Interlocked.Increment(ref seed))));
                        status = (int)r.StatusCode;
                        if (r.StatusCode == HttpStatusCode.Accepted)
                        {
                            var body = await r.JsonAsync();
                            acknowledged[body.GetProperty("jobId").GetGuid()] = body.GetProperty("videoId").GetGuid();
                        }
                    }
                    else
                    {
                        var victim = acknowledged.Values.Where(v => !deleted.ContainsKey(v)).OrderBy(_ => random.Next()).FirstOrDefault();
                        if (victim == Guid.Empty)
                        {
                            continue;
                        }
                        using var r = await service.Client.DeleteAsync($"/api/videos/{victim}");
                        status = (int)r.StatusCode;
                        if (r.StatusCode == HttpStatusCode.NoContent)
                        {
                            deleted[victim] = true;
                        }
                        else if (r.StatusCode == HttpStatusCode.NotFound)
                        {
                            status = 204; // not ingested yet: a valid answer, not an error
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }
                latencies.Add((kind, watch.Elapsed.TotalMilliseconds, status));
            }
        })).ToList();
        await Task.WhenAll(workers);

        var all = latencies.ToList();
        var errors = all.Count(l => l.Status is 0 or >= 500 || (l.Status >= 400 && l.Status != 404));
        var overloaded = all.Count(l => l.Status == 503);
        foreach (var group in all.GroupBy(l => l.Kind))
        {
            output.WriteLine($"{group.Key}: n={group.Count()} p50={Percentile(group, 0.5):0} ms p95={Percentile(group, 0.95):0} ms errors={group.Count(l => l.Status is 0 or >= 400)}");
        }
        output.WriteLine($"total: n={all.Count} p95={Percentile(all, 0.95):0} ms errors={errors} (503 overloaded/unavailable: {overloaded}) uploads acknowledged={acknowledged.Count} deleted={deleted.Count}");

        // Every acknowledged upload ends succeeded, and every one not deleted is stored whole and listed.
        var drain = Stopwatch.StartNew();
        foreach (var (job, video) in acknowledged)
        {
            // The queue drains one job at a time after the load; allow it up to ten minutes in all.
            var finished = await (await service.Client.GetAsync($"/api/jobs/{job}")).JsonAsync();
            while (finished.GetProperty("state").GetString() is "queued" or "running" && drain.Elapsed < TimeSpan.FromMinutes(10))
            {
                await Task.Delay(500);
                finished = await (await service.Client.GetAsync($"/api/jobs/{job}")).JsonAsync();
            }
            Assert.True(finished.GetProperty("state").GetString() == "succeeded", $"after {drain.Elapsed}: {finished}");
            if (!deleted.ContainsKey(video))
            {
                using var r = await service.Client.GetAsync($"/api/videos/{video}");
                Assert.True(r.StatusCode == HttpStatusCode.OK, $"acknowledged video {video} is missing");
            }
        }
        output.WriteLine($"drained the job queue in {drain.Elapsed.TotalSeconds:0.0} s");
        await ProcessTests.AssertNoHalfVideosAsync(_database.ConnectionString);
        await ProcessTests.AssertSearchableAsync(service.Client, acknowledged.Count - deleted.Count);
        Assert.Equal(0, errors);
        Assert.True(acknowledged.Count > 0);
    }

    private static double Percentile(IEnumerable<(string Kind, double Ms, int Status)> values, double p)
    {
        var sorted = values.Select(v => v.Ms).Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
