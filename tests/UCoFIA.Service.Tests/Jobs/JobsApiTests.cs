using System.Net;
using UCoFIA.Tests.Shared;

namespace UCoFIA.Service.Tests.Jobs;

/// <summary>Cancel and retry of jobs through HTTP against the real service (issue 17).</summary>
public sealed class JobsApiTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task Cancel_QueuedAndRunningJobs_BothStopStoringNothingAndRetryRunsTheKeptUpload()
    {
        using var client = factory.CreateClient();
        // Twenty minutes of video, about 100 segments: long enough to be canceled while it runs.
        var longJob = await client.UploadAsync(ApiClient.UploadForm(await TestVideos.Mp4Async(30, 90, 200, frames: 2400, size: 64, fps: 2)));
        await client.WaitForJobAsync(longJob, job => job.GetProperty("state").GetString() == "running");
        // Ingest:Concurrency is 1 here: this one waits behind the long job.
        var queuedJob = await client.UploadAsync(ApiClient.UploadForm(await TestVideos.Mp4Async(200, 30, 30)));
        await using var dataSource = Storage.DataSourceFactory.Create(factory.Database.ConnectionString);
        var before = await DatabaseCounts.RowCountsAsync(dataSource, CancellationToken.None);

        using var cancelQueued = await client.PostAsync($"/api/jobs/{queuedJob}/cancel", null);
        using var cancelRunning = await client.PostAsync($"/api/jobs/{longJob}/cancel", null);
        var stopped = await client.WaitForJobAsync(longJob);

        Assert.Equal(HttpStatusCode.OK, cancelQueued.StatusCode);
        Assert.Equal("canceled", (await cancelQueued.JsonAsync()).GetProperty("state").GetString());
        Assert.True(cancelRunning.StatusCode == HttpStatusCode.Accepted, await cancelRunning.Content.ReadAsStringAsync());
        var requested = await cancelRunning.JsonAsync();
        Assert.Equal(("running", true), (requested.GetProperty("state").GetString(), requested.GetProperty("cancelRequested").GetBoolean()));
        Assert.Equal("canceled", stopped.GetProperty("state").GetString());
        // Nothing of either video was stored; both uploads are kept for a retry.
        Assert.Equal(before, await DatabaseCounts.RowCountsAsync(dataSource, CancellationToken.None));
        using var video = await client.GetAsync($"/api/videos/{stopped.GetProperty("videoId").GetGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, video.StatusCode);
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "uploads", $"{longJob:N}.video")));
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, stopped.GetProperty("uploadKeptUntil").ValueKind);

        using var retry = await client.PostAsync($"/api/jobs/{queuedJob}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var rerun = await client.WaitForJobAsync(queuedJob);
        Assert.True(rerun.GetProperty("state").GetString() == "succeeded", rerun.ToString());
        using var stored = await client.GetAsync($"/api/videos/{rerun.GetProperty("videoId").GetGuid()}");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
    }

    [Fact]
    public async Task Retry_FailedJob_RunsItAgainFromTheKeptUpload()
    {
        using var client = factory.CreateClient();
        var jobId = await client.UploadAsync(ApiClient.UploadForm(Reliability.Media.ZeroMediaData(await TestVideos.Mp4Async(3, 33, 99))));
        var failed = await client.WaitForJobAsync(jobId);
        var upload = Path.Combine(factory.DataDirectory, "uploads", $"{jobId:N}.video");

        using var retry = await client.PostAsync($"/api/jobs/{jobId}/retry", null);
        var queued = await retry.JsonAsync();
        var again = await client.WaitForJobAsync(jobId);

        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal($"/api/jobs/{jobId}", retry.Headers.Location?.OriginalString);
        Assert.Equal(("queued", 0), (queued.GetProperty("state").GetString(), queued.GetProperty("attempts").GetInt32()));
        // The same bytes ran again and failed the same way; the upload is kept for another try.
        Assert.Equal(failed.GetProperty("error").GetString(), again.GetProperty("error").GetString());
        Assert.True(File.Exists(upload));
    }

    [Fact]
    public async Task CancelAndRetry_SucceededOrUnknownJob_AnswerConflictOrNotFound()
    {
        using var client = factory.CreateClient();
        var done = (await client.IngestAsync(await TestVideos.Mp4Async(250, 250, 10))).GetProperty("id").GetGuid();

        using var cancel = await client.PostAsync($"/api/jobs/{done}/cancel", null);
        using var retry = await client.PostAsync($"/api/jobs/{done}/retry", null);
        using var unknown = await client.PostAsync($"/api/jobs/{Guid.NewGuid()}/cancel", null);

        await cancel.AssertProblemAsync(HttpStatusCode.Conflict, "job-ended");
        await retry.AssertProblemAsync(HttpStatusCode.Conflict, "job-succeeded");
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }
}
