using System.Net;
using System.Net.Http.Headers;

namespace UCoFIA.Service.Tests.Features;

/// <summary>Kept originals: served with range requests, within a budget, deleted with their video, signed when a key is set.</summary>
public sealed class OriginalsTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task Original_RangeRequest_Answers206WithThoseBytesAndIsDeletedWithTheVideo()
    {
        using var client = factory.CreateClient();
        var mp4 = await TestVideos.Mp4Async(90, 30, 200);
        var videoId = (await client.IngestAsync(mp4)).GetProperty("videoId").GetGuid();
        var original = (await (await client.GetAsync($"/api/videos/{videoId}")).JsonAsync()).GetProperty("original");
        Assert.Equal(mp4.Length, original.GetProperty("bytes").GetInt64());
        Assert.True(original.GetProperty("browserPlayable").GetBoolean()); // H.264 in MP4

        using var request = new HttpRequestMessage(HttpMethod.Get, original.GetProperty("url").GetString());
        request.Headers.Range = new RangeHeaderValue(100, 199);
        using var partial = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Contains("bytes", partial.Headers.AcceptRanges);
        Assert.Equal("video/mp4", partial.Content.Headers.ContentType?.MediaType);
        Assert.Equal(mp4[100..200], await partial.Content.ReadAsByteArrayAsync());
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, original.GetProperty("url").GetString()));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(mp4.Length, head.Content.Headers.ContentLength);
        Assert.Contains("bytes", head.Headers.AcceptRanges);

        using var deleted = await client.DeleteAsync($"/api/videos/{videoId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(factory.DataDirectory, "originals")));
    }
}

/// <summary>A budget smaller than any video: nothing is kept, and uploads still become videos.</summary>
public sealed class OriginalsBudgetTests : IClassFixture<OriginalsBudgetTests.Host>
{
    private readonly Host _host;

    public OriginalsBudgetTests(Host host) => _host = host;

    [Fact]
    public async Task Upload_BudgetFull_IsStoredWithoutItsOriginal()
    {
        using var client = _host.CreateClient();
        var videoId = (await client.IngestAsync(await TestVideos.Mp4Async(10, 200, 10))).GetProperty("videoId").GetGuid();

        var video = await (await client.GetAsync($"/api/videos/{videoId}")).JsonAsync();
        using var original = await client.GetAsync($"/api/videos/{videoId}/original");

        Assert.Equal(System.Text.Json.JsonValueKind.Null, video.GetProperty("original").ValueKind);
        await original.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.False(Directory.Exists(Path.Combine(_host.DataDirectory, "uploads")) && Directory.GetFiles(Path.Combine(_host.DataDirectory, "uploads")).Length > 0);
    }

    public sealed class Host : IAsyncLifetime
    {
        private readonly ServiceFactory _factory = new();

        public string DataDirectory => _factory.DataDirectory;

        public HttpClient CreateClient() => _factory.CreateClient();

        public async Task InitializeAsync()
        {
            _factory.Settings["Storage:OriginalsBudgetBytes"] = "1";
            await ((IAsyncLifetime)_factory).InitializeAsync();
        }

        public Task DisposeAsync() => ((IAsyncLifetime)_factory).DisposeAsync();
    }
}

/// <summary>With an API key, a &lt;video&gt; element gets the original through the signed URL alone.</summary>
public sealed class SignedMediaTests : IClassFixture<SignedMediaTests.Host>
{
    private const string Key = "a key for the signed media tests";
    private readonly Host _host;

    public SignedMediaTests(Host host) => _host = host;

    [Fact]
    public async Task MediaUrl_WithItsTokenAndNoHeader_IsServedAndAnotherVideosTokenIsNot()
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        var first = (await client.IngestAsync(await TestVideos.Mp4Async(200, 200, 10))).GetProperty("videoId").GetGuid();
        var second = (await client.IngestAsync(await TestVideos.Mp4Async(10, 10, 200))).GetProperty("videoId").GetGuid();
        var url = (await (await client.GetAsync($"/api/videos/{first}")).JsonAsync()).GetProperty("original").GetProperty("url").GetString()!;
        var token = url[(url.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        using var browser = _host.CreateClient(); // no header, as a <video> element

        using var signed = await browser.GetAsync(url);
        using var thumbnail = await browser.GetAsync($"/api/videos/{first}/frames/0.jpg?token={token}");
        using var unsigned = await browser.GetAsync($"/api/videos/{first}/original");
        using var borrowed = await browser.GetAsync($"/api/videos/{second}/original?token={token}");
        using var otherRoute = await browser.GetAsync($"/api/videos/{first}?token={token}");

        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, borrowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherRoute.StatusCode);
    }

    public sealed class Host : IAsyncLifetime
    {
        private readonly ServiceFactory _factory = new();

        public HttpClient CreateClient() => _factory.CreateClient();

        public async Task InitializeAsync()
        {
            _factory.Settings["Auth:ApiKey"] = Key;
            await ((IAsyncLifetime)_factory).InitializeAsync();
        }

        public Task DisposeAsync() => ((IAsyncLifetime)_factory).DisposeAsync();
    }
}
