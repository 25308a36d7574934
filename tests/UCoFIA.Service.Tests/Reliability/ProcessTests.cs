using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using UCoFIA.Storage;

namespace UCoFIA.Service.Tests.Reliability;

/// <summary>
/// The service as a real process: killed with SIGKILL during ingestion, stopped with SIGTERM during an upload, and
/// cut off from Postgres by a database restart under load. Nothing acknowledged is lost, no job is left stuck, no
/// half-written video is visible.
/// </summary>
public sealed class ProcessTests : IAsyncLifetime
{
    private ServiceWorkspace? _workspace;

    private ServiceWorkspace Workspace => _workspace ?? throw new InvalidOperationException("The fixture is not initialised.");

    private string ModelPath => Workspace.ModelPath;

    private string DataDirectory => Workspace.DataDirectory;

    public async Task InitializeAsync() => _workspace = await ServiceWorkspace.CreateAsync("ucofia-process-tests-");

    public async Task DisposeAsync()
    {
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }
    }

    [Fact]
    public async Task Sigkill_DuringIngestion_RestartFinishesEveryJobAndLeavesNoHalfVideo()
    {
        var connection = Workspace.Database.ConnectionString;
        var clip = await TestVideos.Mp4Async(200, 40, 40, frames: 48, size: 96, fps: 12);
        var jobs = new List<Guid>();
        await using (var service = await ServiceProcess.StartAsync(connection, ModelPath, DataDirectory))
        {
            for (var i = 0; i < 6; i++)
            {
                using var response = await service.Client.PostAsync("/api/videos", BadInput.Form(ServiceProcess.Unique(clip, i)));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                jobs.Add((await response.JsonAsync()).GetProperty("jobId").GetGuid());
            }
            // Kill while a job is running, before they are all done.
            await WaitUntilAsync(async () => await CountStateAsync(connection, "running") > 0 || await CountStateAsync(connection, "succeeded") > 0);
            await service.KillAsync();
        }
        Assert.True(await CountStateAsync(connection, "succeeded") < jobs.Count, "every job finished before the kill; the test proved nothing");
        await AssertNoHalfVideosAsync(connection);

        await using (var service = await ServiceProcess.StartAsync(connection, ModelPath, DataDirectory))
        {
            foreach (var job in jobs)
            {
                var finished = await service.Client.WaitForJobAsync(job);
                Assert.True(finished.GetProperty("state").GetString() == "succeeded", finished.ToString());
            }
            await AssertNoHalfVideosAsync(connection);
            await AssertSearchableAsync(service.Client, jobs.Count);
            // Every upload became its video's kept original, once; nothing is left waiting or half-written.
            var files = Directory.GetFiles(DataDirectory, "*", SearchOption.AllDirectories);
            Assert.All(files, f => Assert.Equal("originals", Path.GetFileName(Path.GetDirectoryName(f))));
            Assert.Equal(jobs.Count, files.Length);
        }
    }

    /// <summary>
    /// Two instances on one database and one data directory (issue 16): the instance running a job is killed; the
    /// other takes the job over once the lease (3 s here) runs out, and the video is stored exactly once.
    /// </summary>
    [Fact]
    public async Task TwoInstances_OwnerKilledMidJob_TheOtherTakesItOverAndStoresTheVideoOnce()
    {
        var connection = Workspace.Database.ConnectionString;
        // Twenty minutes of video, about 100 segments: long enough to be killed in the middle of.
        var clip = await TestVideos.Mp4Async(30, 90, 200, frames: 2400, size: 64, fps: 2);
        await using var owner = await ServiceProcess.StartAsync(connection, ModelPath, DataDirectory);
        await using var other = await ServiceProcess.StartAsync(connection, ModelPath, DataDirectory);
        using var response = await owner.Client.PostAsync("/api/videos", BadInput.Form(clip));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = (await response.JsonAsync()).GetProperty("jobId").GetGuid();
        // Killed once claimed, before anything is stored: the job must not have finished yet.
        await WaitUntilAsync(async () => await JobAsync(connection, jobId) is ("running", _, _));
        var owned = await OwnerAsync(connection, jobId);

        await owner.KillAsync();
        Assert.NotEqual("succeeded", (await JobAsync(connection, jobId)).State);
        var finished = await other.Client.WaitForJobAsync(jobId);

        Assert.True(finished.GetProperty("state").GetString() == "succeeded", finished.ToString());
        Assert.Equal(2, finished.GetProperty("attempts").GetInt32());
        Assert.NotEqual(owned, await OwnerAsync(connection, jobId));
        await AssertNoHalfVideosAsync(connection);
        await using var dataSource = DataSourceFactory.Create(connection);
        await using var counts = dataSource.CreateCommand(
            "SELECT (SELECT count(*) FROM videos), (SELECT count(*) FROM video_segments), (SELECT count(DISTINCT idx) FROM video_segments)");
        await using var reader = await counts.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(1, reader.GetInt64(0));
        Assert.Equal(reader.GetInt64(2), reader.GetInt64(1)); // no segment written twice
        Assert.Single(Directory.GetFiles(Path.Combine(DataDirectory, "originals")));
    }

    private static async Task<(string State, float Progress, int Attempts)> JobAsync(string connection, Guid jobId)
    {
        await using var dataSource = NpgsqlDataSource.Create(connection);
        await using var command = dataSource.CreateCommand("SELECT state, progress, attempts FROM ingest_jobs WHERE id = $1");
        command.Parameters.AddWithValue(jobId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetFloat(1), reader.GetInt32(2)) : ("missing", 0, 0);
    }

    private static async Task<string?> OwnerAsync(string connection, Guid jobId)
    {
        await using var dataSource = NpgsqlDataSource.Create(connection);
        await using var command = dataSource.CreateCommand("SELECT owner FROM ingest_jobs WHERE id = $1");
        command.Parameters.AddWithValue(jobId);
        return await command.ExecuteScalarAsync() as string;
    }

    [Fact]
    public async Task Sigterm_DuringUpload_FinishesTheRequestAndTheJobRunsAfterRestart()
    {
        var connection = Workspace.Database.ConnectionString;
        var clip = await TestVideos.Mp4Async(40, 200, 40, frames: 24, size: 64);
        Guid jobId;
        await using (var service = await ServiceProcess.StartAsync(connection, ModelPath, DataDirectory))
        {
            var slow = new SlowContent(clip, TimeSpan.FromSeconds(2));
            var form = new MultipartFormDataContent { { slow, "file", "slow.mp4" } };
            var upload = service.Client.PostAsync("/api/videos", form);
            await slow.Started.Task;
            var exit = service.TerminateAsync(TimeSpan.FromSeconds(60));
            using var response = await upload;
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            jobId = (await response.JsonAsync()).GetProperty("jobId").GetGuid();
            Assert.Equal(0, await exit);
        }
        await using (var service = await ServiceProcess.StartAsync(connection, ModelPath, DataDirectory))
        {
            var finished = await service.Client.WaitForJobAsync(jobId);
            Assert.True(finished.GetProperty("state").GetString() == "succeeded", finished.ToString());
            await AssertNoHalfVideosAsync(connection);
        }
    }

    [Fact]
    public async Task OversizedUpload_RealKestrel_StopsReadingEarly()
    {
        await using var service = await ServiceProcess.StartAsync(Workspace.Database.ConnectionString, ModelPath, DataDirectory,
            new Dictionary<string, string> { ["Ingest:MaxUploadBytes"] = "1048576" });
        var body = new CountingContent(512L * 1024 * 1024);
        var form = new MultipartFormDataContent { { body, "file", "huge.mp4" } };
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await service.Client.PostAsync("/api/videos", form);
            await ReliabilityHost.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large");
        }
        catch (HttpRequestException)
        {
            // Kestrel may close the connection while the client is still sending; the count below is what matters.
        }
        Assert.True(body.Produced < 64L * 1024 * 1024, $"{body.Produced} of 512 MiB were sent after {watch.Elapsed}");
        Assert.Empty(Directory.Exists(DataDirectory) ? Directory.GetFiles(DataDirectory, "*", SearchOption.AllDirectories) : []);
    }

    [SlowFact]
    public async Task PostgresRestart_UnderLoad_Returns503ThenRecoversWithNothingLost()
    {
        var cluster = Path.Combine(Workspace.Root, "pg");
        var port = ServiceProcess.FreePort();
        var connection = (await DbScriptAsync("start", cluster, port)).Trim().Split('\n')[^1];
        try
        {
            var clip = await TestVideos.Mp4Async(30, 30, 220, frames: 12, size: 48);
            await using var service = await ServiceProcess.StartAsync(connection, ModelPath, DataDirectory);
            var statuses = new System.Collections.Concurrent.ConcurrentBag<string>();
            var acknowledged = new System.Collections.Concurrent.ConcurrentBag<Guid>();
            using var stop = new CancellationTokenSource();
            var seed = 0;
            var clients = Enumerable.Range(0, 8).Select(c => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        using var response = c % 2 == 0
                            ? await service.Client.PostAsync("/api/videos", BadInput.Form(ServiceProcess.Unique(clip, Interlocked.Increment(ref seed))))
                            : await service.Client.PostAsJsonAsync("/api/search/videos", new { text = "a blue clip", topK = 5 });
                        var body = await response.Content.ReadAsStringAsync();
                        if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK && body.Contains("\"jobId\"", StringComparison.Ordinal))
                        {
                            acknowledged.Add(JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetGuid());
                        }
                        statuses.Add(response.StatusCode == HttpStatusCode.ServiceUnavailable
                            ? "503 " + JsonDocument.Parse(body).RootElement.GetProperty("type").GetString()
                            : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                    catch (HttpRequestException e)
                    {
                        statuses.Add("transport " + e.Message);
                    }
                    await Task.Delay(50);
                }
            })).ToList();
            await Task.Delay(3000);
            await DbScriptAsync("stop", cluster, port);
            await Task.Delay(4000);
            await DbScriptAsync("start", cluster, port);
            await Task.Delay(4000);
            stop.Cancel();
            await Task.WhenAll(clients);

            var summary = string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key} ×{g.Count()}"));
            Assert.All(statuses, s => Assert.True(s is "200" or "202" or "503 urn:ucofia:problem:database-unavailable", summary));
            Assert.Contains("503 urn:ucofia:problem:database-unavailable", statuses);
            await service.WaitReadyAsync(TimeSpan.FromSeconds(60));
            foreach (var job in acknowledged.Distinct())
            {
                var finished = await service.Client.WaitForJobAsync(job);
                Assert.True(finished.GetProperty("state").GetString() == "succeeded", finished.ToString());
            }
            await AssertNoHalfVideosAsync(connection);
            await AssertSearchableAsync(service.Client, acknowledged.Distinct().Count());
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await DbScriptAsync("stop", cluster, port);
        }
    }

    internal static async Task<string> DbScriptAsync(string verb, string dataDirectory, int port)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        start.ArgumentList.Add(Path.Combine(root, "deploy", "db.sh"));
        start.ArgumentList.Add(verb);
        start.Environment["UCOFIA_PGDATA"] = dataDirectory;
        start.Environment["UCOFIA_PGPORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["UCOFIA_PGDATABASE"] = "ucofia_restart";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"db.sh {verb}: {await error}");
        return await output;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "deploy", "db.sh")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("deploy/db.sh not found above the test folder");
    }

    internal static async Task<long> CountStateAsync(string connection, string state)
    {
        await using var dataSource = NpgsqlDataSource.Create(connection);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM ingest_jobs WHERE state = $1");
        command.Parameters.AddWithValue(state);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Every visible video has all its frame rows (each sampled picture in at least one segment; overlapping
    /// segments share some) and patches; no feature row without its video.</summary>
    internal static async Task AssertNoHalfVideosAsync(string connection)
    {
        await using var dataSource = DataSourceFactory.Create(connection);
        await using var command = dataSource.CreateCommand(
            """
            SELECT
              (SELECT count(*) FROM videos v WHERE v.frame_count <> (SELECT count(DISTINCT f.sample) FROM video_frames f WHERE f.video_id = v.id)),
              (SELECT count(*) FROM videos v WHERE NOT EXISTS (SELECT 1 FROM video_patches p WHERE p.video_id = v.id)),
              (SELECT count(*) FROM video_frames f WHERE NOT EXISTS (SELECT 1 FROM videos v WHERE v.id = f.video_id)),
              (SELECT count(*) FROM video_patches p WHERE NOT EXISTS (SELECT 1 FROM videos v WHERE v.id = p.video_id)),
              (SELECT count(*) FROM caption_words w WHERE NOT EXISTS (SELECT 1 FROM captions c WHERE c.id = w.caption_id)),
              (SELECT count(*) FROM ingest_jobs j WHERE j.state = 'succeeded' AND NOT EXISTS (SELECT 1 FROM videos v WHERE v.id = j.video_id))
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        string[] what = ["videos missing frames", "videos without patches", "orphan frames", "orphan patches", "orphan caption words", "succeeded jobs without video"];
        for (var i = 0; i < what.Length; i++)
        {
            Assert.True(reader.GetInt64(i) == 0, $"{reader.GetInt64(i)} {what[i]}");
        }
    }

    internal static async Task AssertSearchableAsync(HttpClient client, int atLeast)
    {
        using var response = await client.PostAsJsonAsync("/api/search/videos", new { text = "a red circle", topK = 100, exhaustive = true });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("results").GetArrayLength() >= Math.Min(atLeast, 100));
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600 && !await condition(); i++)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>Sends the bytes in ten pieces spread over the given time.</summary>
    private sealed class SlowContent(byte[] bytes, TimeSpan duration) : HttpContent
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var piece = (bytes.Length + 9) / 10;
            for (var offset = 0; offset < bytes.Length; offset += piece)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(piece, bytes.Length - offset)));
                await stream.FlushAsync();
                Started.TrySetResult();
                await Task.Delay(duration / 10);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }

    private sealed class CountingContent(long length) : HttpContent
    {
        private long _produced;

        public long Produced => Interlocked.Read(ref _produced);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            while (_produced < length)
            {
                await stream.WriteAsync(chunk);
                Interlocked.Add(ref _produced, chunk.Length);
            }
        }

        protected override bool TryComputeLength(out long size)
        {
            size = -1;
            return false;
        }
    }
}
