using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using UCoFIA.Tests.Shared;

namespace UCoFIA.Service.Tests.Jobs;

/// <summary>
/// The job-end callback of an upload: signed, retried after a failed attempt with the same delivery id, and only to
/// hosts on the allow-list (issue 17). The receiver is a listener on loopback, the only host allowed here.
/// </summary>
public sealed class CallbackTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const string Secret = "a-test-secret-of-some-length";

    private HttpClient CreateClient()
    {
        factory.Settings["Callbacks:AllowedHosts:0"] = "127.0.0.1";
        factory.Settings["Callbacks:Secret"] = Secret;
        factory.Settings["Callbacks:FirstRetryDelaySeconds"] = "0.2";
        return factory.CreateClient();
    }

    [Fact]
    public async Task Callback_ReceiverFailsFirst_IsSentAgainSignedWithTheSameDeliveryAndTheEndedJob()
    {
        await using var receiver = new CallbackReceiver(Reliability.ServiceProcess.FreePort(), HttpStatusCode.InternalServerError);
        using var client = CreateClient();

        var jobId = await client.UploadAsync(ApiClient.UploadForm(await TestVideos.Mp4Async(10, 200, 90), callbackUrl: receiver.Url));
        var job = await client.WaitForJobAsync(jobId);
        var first = await receiver.NextAsync(TimeSpan.FromSeconds(60));
        var second = await receiver.NextAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("succeeded", job.GetProperty("state").GetString());
        foreach (var attempt in new[] { first, second })
        {
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), attempt.Body));
            Assert.Equal(expected, attempt.Signature);
            Assert.StartsWith("application/json", attempt.ContentType);
            Assert.True(long.TryParse(attempt.Timestamp, out _), attempt.Timestamp);
        }
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.Delivery, second.Delivery);
        using var body = JsonDocument.Parse(second.Body);
        Assert.Equal(second.Delivery, body.RootElement.GetProperty("deliveryId").GetString());
        var described = body.RootElement.GetProperty("job");
        Assert.Equal((jobId, "succeeded", job.GetProperty("videoId").GetGuid()),
            (described.GetProperty("id").GetGuid(), described.GetProperty("state").GetString(), described.GetProperty("videoId").GetGuid()));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("http://user:pass@127.0.0.1/hook")]
    [InlineData("ftp://127.0.0.1/hook")]
    [InlineData("/relative/hook")]
    public async Task Upload_CallbackUrlNotAllowed_IsRefusedAndNothingIsStored(string callbackUrl)
    {
        using var client = CreateClient();
        await using var dataSource = Storage.DataSourceFactory.Create(factory.Database.ConnectionString);
        var before = await DatabaseCounts.RowCountsAsync(dataSource, CancellationToken.None);

        using var response = await client.PostAsync("/api/videos", ApiClient.UploadForm(await TestVideos.Mp4Async(60, 60, 60), callbackUrl: callbackUrl));

        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "callback-not-allowed");
        Assert.Equal(before, await DatabaseCounts.RowCountsAsync(dataSource, CancellationToken.None));
    }
}
