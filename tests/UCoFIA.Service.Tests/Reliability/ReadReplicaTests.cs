using System.Diagnostics;
using System.Net.Http.Json;
using Npgsql;
using UCoFIA.Tests.Shared;
using Xunit.Abstractions;

namespace UCoFIA.Service.Tests.Reliability;

/// <summary>The service with a streaming standby of its database configured as its read replica.</summary>
public sealed class ReplicaService : IAsyncLifetime
{
    public ServiceFactory Factory { get; } = new();

    public TestStandby Standby { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Factory).InitializeAsync();
        Standby = await TestStandby.StartAsync();
        Factory.Settings["ConnectionStrings:PostgresReadReplicas"] = Standby.ConnectionString(Factory.Database.Name);
    }

    /// <summary>What the standby holds of the gallery, and how many of the service's connections it serves.</summary>
    public async Task<(bool HasVideo, long ServiceConnections)> OnStandbyAsync(Guid video)
    {
        await using var connection = new NpgsqlConnection(Standby.ConnectionString(Factory.Database.Name));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT EXISTS (SELECT 1 FROM videos WHERE id = $1),
                   (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'ucofia-service')
            """, connection);
        command.Parameters.AddWithValue(video);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetBoolean(0), reader.GetInt64(1));
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)Factory).DisposeAsync();
        await Standby.DisposeAsync();
    }
}

/// <summary>
/// Searches read from the standby, fall back to the primary while the standby lags behind a job the client saw
/// succeed, and go on when the standby stops.
/// </summary>
public sealed class ReadReplicaTests(ReplicaService replica, ITestOutputHelper output) : IClassFixture<ReplicaService>
{
    [Fact]
    public async Task Search_StandbyBehindTheJobThatJustSucceeded_FindsTheVideo()
    {
        using var client = replica.Factory.CreateClient();
        await replica.Standby.WhileReplayPausedAsync(async () =>
        {
            var video = await IngestAsync(client, 250, 10, 10);

            Assert.Contains(video, await SearchAsync(client));
            Assert.False((await replica.OnStandbyAsync(video)).HasVideo);
        });
    }

    [Fact]
    public async Task Search_StandbyCaughtUp_ReadsOnTheStandby()
    {
        using var client = replica.Factory.CreateClient();
        var video = await IngestAsync(client, 10, 250, 10);
        await replica.Standby.CatchUpAsync();

        Assert.Contains(video, await SearchAsync(client));
        var (hasVideo, serviceConnections) = await replica.OnStandbyAsync(video);
        Assert.True(hasVideo);
        Assert.True(serviceConnections > 0, "no search read reached the standby");
    }

    /// <summary>
    /// Stops the standby while clients search without pause, and counts what failed: searches go on against the
    /// primary. The figures go to the test output (docs/scaling.md quotes them).
    /// </summary>
    [SlowFact]
    public async Task Search_StandbyStopsUnderLoad_GoesOnAgainstThePrimary()
    {
        const int Clients = 8;
        using var client = replica.Factory.CreateClient();
        var video = await IngestAsync(client, 10, 10, 250);
        await replica.Standby.CatchUpAsync();
        // Warm (JIT, pools, the feature cache), so the rates before and after the stop compare.
        for (var i = 0; i < 10; i++)
        {
            await SearchAsync(client);
        }

        var clock = Stopwatch.StartNew();
        var stopAt = TimeSpan.Zero;
        using var stop = new CancellationTokenSource();
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<(TimeSpan At, bool Ok)>();
        var load = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.PostAsJsonAsync("/api/search/videos", new { text = "a red circle moves left", topK = 5 });
                outcomes.Add((clock.Elapsed, response.IsSuccessStatusCode));
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(5));
        stopAt = clock.Elapsed;
        await replica.Standby.StopAsync();
        var stopped = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var before = outcomes.Where(o => o.At < stopAt).ToList();
        var after = outcomes.Where(o => o.At >= stopAt).OrderBy(o => o.At).ToList();
        var failed = after.Where(o => !o.Ok).ToList();
        var recovered = failed.Count == 0 ? TimeSpan.Zero : failed[^1].At - stopAt;
        output.WriteLine($"{Clients} clients; before the stop: {before.Count} searches, {before.Count(o => !o.Ok)} failed; " +
            $"pg_ctl stop took {(stopped - stopAt).TotalMilliseconds:F0} ms; after it: {after.Count} searches, {failed.Count} failed, " +
            $"last failure {recovered.TotalMilliseconds:F0} ms after the stop");

        Assert.All(before, o => Assert.True(o.Ok));
        // At most the searches in flight when the standby went: each client's next search finds the primary.
        Assert.InRange(failed.Count, 0, Clients);
        Assert.All(after.Where(o => o.At > recovered + stopAt), o => Assert.True(o.Ok));
        Assert.Contains(video, await SearchAsync(client));
    }

    private static async Task<Guid> IngestAsync(HttpClient client, byte r, byte g, byte b)
    {
        var job = await client.IngestAsync(await TestVideos.Mp4Async(r, g, b));
        Assert.Equal("succeeded", job.GetProperty("state").GetString());
        return job.GetProperty("videoId").GetGuid();
    }

    private static async Task<IReadOnlyList<Guid>> SearchAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/search/videos", new { text = "a red circle moves left", topK = 50 });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return [.. (await response.JsonAsync()).GetProperty("results").EnumerateArray().Select(r => r.GetProperty("videoId").GetGuid())];
    }
}
