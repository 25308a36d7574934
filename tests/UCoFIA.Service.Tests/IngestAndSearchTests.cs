using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace UCoFIA.Service.Tests;

/// <summary>End to end through HTTP: real MP4s, real ffmpeg, the real database, a fresh tiny checkpoint.</summary>
public sealed class IngestAndSearchTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task UploadThenSearch_FreshCheckpoint_ReturnsWellFormedRankedAnswer()
    {
        using var client = factory.CreateClient();
        var red = await client.IngestAsync(await TestVideos.Mp4Async(250, 10, 10), "red clip", ["a red square"]);
        var blue = await client.IngestAsync(await TestVideos.Mp4Async(10, 10, 250), "blue clip");
        Assert.Equal("succeeded", red.GetProperty("state").GetString());
        Assert.Equal("succeeded", blue.GetProperty("state").GetString());

        using var response = await client.PostAsJsonAsync("/api/search/videos", new { text = "a red square", topK = 5 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.True(results.Count >= 2);
        var scores = results.Select(r => r.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        var first = results[0];
        foreach (var level in new[] { "video", "frame", "patch" })
        {
            Assert.Equal(JsonValueKind.Number, first.GetProperty("scores").GetProperty(level).ValueKind);
        }
        Assert.NotEmpty(first.GetProperty("bestFrames").EnumerateArray());
        Assert.True(body.GetProperty("timings").GetProperty("rerankMs").GetDouble() >= 0);
    }

    [Fact]
    public async Task Search_GranularitySubset_ScoresOnlyThoseLevels()
    {
        using var client = factory.CreateClient();
        await client.IngestAsync(await TestVideos.Mp4Async(20, 200, 20), "green clip");
        var body = await (await client.PostAsJsonAsync("/api/search/videos",
            new { text = "green", granularities = new[] { "frame" } })).JsonAsync();
        var hit = body.GetProperty("results")[0];
        Assert.Equal(JsonValueKind.Null, hit.GetProperty("scores").GetProperty("video").ValueKind);
        Assert.Equal(JsonValueKind.Number, hit.GetProperty("scores").GetProperty("frame").ValueKind);
        Assert.Equal(JsonValueKind.Null, hit.GetProperty("scores").GetProperty("patch").ValueKind);
    }

    [Fact]
    public async Task Search_TwoStage_AgreesWithExhaustiveOnSmallGallery()
    {
        using var client = factory.CreateClient();
        for (byte i = 0; i < 4; i++)
        {
            await client.IngestAsync(await TestVideos.Mp4Async((byte)(40 * i), 90, (byte)(200 - 30 * i)));
        }
        var twoStage = await (await client.PostAsJsonAsync("/api/search/videos", new { text = "a yellow star grows", topK = 3 })).JsonAsync();
        var exhaustive = await (await client.PostAsJsonAsync("/api/search/videos", new { text = "a yellow star grows", topK = 3, exhaustive = true })).JsonAsync();
        Assert.Equal(Ids(exhaustive), Ids(twoStage));
    }

    [Fact]
    public async Task Upload_SameBytesTwice_ReturnsExistingVideo()
    {
        using var client = factory.CreateClient();
        var video = await TestVideos.Mp4Async(100, 100, 0);
        var job = await client.IngestAsync(video);
        using var again = await client.PostAsync("/api/videos", ApiClient.UploadForm(video));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await again.JsonAsync();
        Assert.True(body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(job.GetProperty("videoId").GetGuid(), body.GetProperty("videoId").GetGuid());
    }

    [Fact]
    public async Task Delete_StoredVideo_RemovesItAndAnswers404Afterwards()
    {
        using var client = factory.CreateClient();
        var job = await client.IngestAsync(await TestVideos.Mp4Async(0, 0, 0), "dark");
        var id = job.GetProperty("videoId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/videos/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/videos/{id}")).StatusCode);
        await (await client.GetAsync($"/api/videos/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await client.DeleteAsync($"/api/videos/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task CaptionLookup_StoredVideoAndUpload_RanksCaptions()
    {
        using var client = factory.CreateClient();
        var job = await client.IngestAsync(await TestVideos.Mp4Async(200, 0, 200), "purple", ["a purple ring"]);
        var added = await client.PostAsJsonAsync("/api/captions", new { texts = new[] { "a black cross", "a white star" } });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);

        var byId = await (await client.PostAsJsonAsync("/api/search/captions", new { videoId = job.GetProperty("videoId").GetGuid(), topK = 10 })).JsonAsync();
        Assert.True(byId.GetProperty("results").GetArrayLength() >= 3);

        using var byUpload = await client.PostAsync("/api/search/captions", ApiClient.UploadForm(await TestVideos.Mp4Async(1, 2, 3)));
        Assert.Equal(HttpStatusCode.OK, byUpload.StatusCode);
        Assert.True((await byUpload.JsonAsync()).GetProperty("results").GetArrayLength() >= 3);
    }

    [Fact]
    public async Task ListVideos_Paged_ReturnsTotals()
    {
        using var client = factory.CreateClient();
        await client.IngestAsync(await TestVideos.Mp4Async(33, 66, 99));
        var page = await (await client.GetAsync("/api/videos?page=1&pageSize=1")).JsonAsync();
        Assert.Equal(1, page.GetProperty("items").GetArrayLength());
        Assert.True(page.GetProperty("total").GetInt64() >= 1);
    }

    [Theory]
    [InlineData("{\"text\":\"\"}")]
    [InlineData("{\"text\":\"   \"}")]
    [InlineData("{\"text\":\"ok\",\"topK\":0}")]
    [InlineData("{\"text\":\"ok\",\"topK\":-3}")]
    [InlineData("{\"text\":\"ok\",\"topK\":100000}")]
    [InlineData("{\"text\":\"ok\",\"granularities\":[\"pixel\"]}")]
    [InlineData("{\"text\":\"bad\\u0001control\"}")]
    public async Task SearchVideos_InvalidRequest_Returns400Problem(string json)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/search/videos", new StringContent(json, Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task SearchVideos_MalformedJson_Returns400Problem()
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/search/videos", new StringContent("{\"text\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Upload_TextFileNamedMp4_Returns422AndStoresNothing()
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/videos", ApiClient.UploadForm(Encoding.UTF8.GetBytes("not a video at all")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Empty(Directory.Exists(Path.Combine(factory.DataDirectory, "uploads"))
            ? Directory.GetFiles(Path.Combine(factory.DataDirectory, "uploads")) : []);
        Assert.Empty(Directory.Exists(Path.Combine(factory.DataDirectory, "tmp")) ? Directory.GetFiles(Path.Combine(factory.DataDirectory, "tmp")) : []);
    }

    [Fact]
    public async Task Upload_EmptyFile_Returns422()
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/videos", ApiClient.UploadForm([]));
        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "empty-file");
    }

    [Fact]
    public async Task Upload_WrongContentType_Returns415()
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/videos", new StringContent("{}", Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task Upload_MissingFileField_Returns400()
    {
        using var client = factory.CreateClient();
        using var form = new MultipartFormDataContent { { new StringContent("only a title"), "title" } };
        using var response = await client.PostAsync("/api/videos", form);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Upload_MetadataNotAnObject_Returns400()
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync("/api/videos", ApiClient.UploadForm(await TestVideos.Mp4Async(1, 1, 1), metadata: "[1,2]"));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Theory]
    [InlineData("/api/jobs/00000000-0000-0000-0000-000000000001")]
    [InlineData("/api/videos/00000000-0000-0000-0000-000000000001")]
    public async Task Get_UnknownId_Returns404Problem(string path)
    {
        using var client = factory.CreateClient();
        await (await client.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task SearchCaptions_UnknownVideo_Returns404Problem()
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/search/captions", new { videoId = Guid.NewGuid() });
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    private static List<Guid> Ids(JsonElement body) =>
        body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("videoId").GetGuid()).ToList();
}
