using System.Net;

namespace UCoFIA.Service.Tests.Jobs;

/// <summary>A failed job keeps its upload for Ingest:FailedUploadRetentionSeconds, then it is swept and retry says so.</summary>
public sealed class UploadRetentionTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task Retry_FailedJobAfterItsUploadWasSwept_AnswersGone()
    {
        factory.Settings["Ingest:FailedUploadRetentionSeconds"] = "1";
        using var client = factory.CreateClient();
        var jobId = await client.UploadAsync(ApiClient.UploadForm(Reliability.Media.ZeroMediaData(await TestVideos.Mp4Async(7, 70, 140))));
        var failed = await client.WaitForJobAsync(jobId);
        var upload = Path.Combine(factory.DataDirectory, "uploads", $"{jobId:N}.video");
        Assert.Equal("failed", failed.GetProperty("state").GetString());

        await client.WaitForJobAsync(jobId, job => job.GetProperty("uploadKeptUntil").ValueKind == System.Text.Json.JsonValueKind.Null);
        using var retry = await client.PostAsync($"/api/jobs/{jobId}/retry", null);

        Assert.False(File.Exists(upload));
        await retry.AssertProblemAsync(HttpStatusCode.Gone, "upload-gone");
    }
}
