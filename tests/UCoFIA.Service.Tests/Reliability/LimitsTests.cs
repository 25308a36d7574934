using System.Net;

namespace UCoFIA.Service.Tests.Reliability;

/// <summary>A host with small limits: 64 KiB uploads and 1 s videos.</summary>
public sealed class LimitsHost : ReliabilityHost
{
    public const long MaxUploadBytes = 64 * 1024;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Ingest:MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Ingest:MaxDurationSeconds"] = "1";
    }
}

public sealed class LimitsTests(LimitsHost host) : IClassFixture<LimitsHost>
{
    [Theory]
    [InlineData("/api/videos")]
    [InlineData("/api/search/captions")]
    public async Task Upload_LongerThanLimit_Returns422TooLong(string path) =>
        await host.AssertRejectedAsync(async c => await c.PostAsync(path, BadInput.Form(await Media.GetAsync("long3s.mp4"))),
            HttpStatusCode.UnprocessableEntity, "too-long");

    [Theory]
    [InlineData("/api/videos", 1)]
    [InlineData("/api/videos", 8)]
    [InlineData("/api/search/captions", 1)]
    public async Task Upload_LargerThanLimit_Returns413AndLeavesNoFile(string path, int megabytes)
    {
        var body = new EndlessContent(megabytes * 1024L * 1024);
        var before = await host.CountsAsync();
        var form = new MultipartFormDataContent { { body, "file", "big.mp4" } };
        try
        {
            using var response = await host.Client.PostAsync(path, form);
            await ReliabilityHost.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "too-large");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
        {
            // After the 413 the service drops the connection so as not to read the rest; a client still sending may
            // see that first. That Kestrel stops reading early is checked against the real process in ProcessTests.
        }
        Assert.Equal(before, await host.CountsAsync());
        Assert.Empty(host.LeftoverFiles());
    }

    [Fact]
    public async Task Upload_JustUnderLimit_IsAccepted()
    {
        var bytes = await Media.GetAsync("s16x16.mp4");
        Assert.True(bytes.Length < LimitsHost.MaxUploadBytes);
        using var response = await host.Client.PostAsync("/api/videos", BadInput.Form(bytes));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await host.Client.WaitForJobAsync((await response.JsonAsync()).GetProperty("jobId").GetGuid());
        Assert.Equal("succeeded", job.GetProperty("state").GetString());
    }

    /// <summary>A request body of the given length that counts how much of it was actually pulled.</summary>
    private sealed class EndlessContent(long length) : HttpContent
    {
        private long _produced;

        public long Produced => Interlocked.Read(ref _produced);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            new Random(5).NextBytes(chunk);
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
