using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SkiaSharp;

namespace UCoFIA.Service.Tests.Features;

/// <summary>Moments, thumbnails, image queries, patch–word evidence, embeddings and cursor pages through HTTP against the real service.</summary>
public sealed class SearchFeatureTests(GalleryFixture gallery) : IClassFixture<GalleryFixture>
{
    private readonly HttpClient _client = gallery.Factory.CreateClient();

    [Fact]
    public async Task Search_EveryHit_CarriesRankedMomentsWithServedThumbnails()
    {
        var body = await (await _client.PostAsJsonAsync("/api/search/videos", new { text = "a red circle", topK = 10 })).JsonAsync();
        var hits = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, hits.Count);
        foreach (var hit in hits)
        {
            var moments = hit.GetProperty("moments").EnumerateArray().ToList();
            Assert.NotEmpty(moments);
            var scores = moments.Select(m => m.GetProperty("score").GetDouble()).ToList();
            Assert.Equal(scores.OrderByDescending(s => s), scores);
            foreach (var m in moments)
            {
                Assert.InRange(m.GetProperty("start").GetDouble(), 0, m.GetProperty("end").GetDouble());
                Assert.InRange(m.GetProperty("end").GetDouble(), 0, 2.5); // the clips last 2 s
            }
            var frame = moments[0].GetProperty("frame").GetInt32();
            using var jpeg = await _client.GetAsync($"/api/videos/{hit.GetProperty("videoId").GetGuid()}/frames/{frame}.jpg");
            Assert.Equal(HttpStatusCode.OK, jpeg.StatusCode);
            Assert.Equal("image/jpeg", jpeg.Content.Headers.ContentType?.MediaType);
            var bytes = await jpeg.Content.ReadAsByteArrayAsync();
            Assert.Equal(new byte[] { 0xFF, 0xD8 }, bytes[..2]);
        }
    }

    [Fact]
    public async Task Frame_UnknownIndex_Answers404Problem()
    {
        using var response = await _client.GetAsync($"/api/videos/{gallery.Videos["red"]}/frames/99.jpg");
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Frame_StoredThumbnail_IsViewingSizeWhateverTheModelsInputSize()
    {
        var jpeg = await _client.GetByteArrayAsync($"/api/videos/{gallery.Videos["red"]}/frames/0.jpg");

        using var bitmap = SKBitmap.Decode(jpeg);
        // The clip is 64 × 64 and the default model takes 128 × 128: the thumbnail is Ingest:ThumbnailWidth wide, aspect kept.
        Assert.Equal((320, 320), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public async Task Explain_StoredVideo_GivesEachQueryWordWeightsSummingToOneOverPlacedPatches()
    {
        var video = gallery.Videos["red"];
        using var response = await _client.PostAsJsonAsync("/api/search/explain", new { text = "a red circle moves left", videoId = video });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.JsonAsync();

        Assert.Equal(0, body.GetProperty("segment").GetProperty("index").GetInt32());
        var grid = body.GetProperty("grid").GetInt32();
        Assert.Equal(128 / 16, grid); // models/default: 128 px input, 16 px patches
        var frames = body.GetProperty("frames").EnumerateArray().ToList();
        var places = body.GetProperty("places").EnumerateArray().ToList();
        Assert.Equal(frames.Count * (1 + 6), places.Count); // each frame's class token and its K = 6 selected patches
        foreach (var place in places.Where(p => p.GetProperty("patch").ValueKind == JsonValueKind.Number))
        {
            var (row, column) = (place.GetProperty("row").GetInt32(), place.GetProperty("column").GetInt32());
            Assert.InRange(row, 0, grid - 1);
            Assert.InRange(column, 0, grid - 1);
            Assert.Equal(place.GetProperty("patch").GetInt32(), row * grid + column);
        }
        var words = body.GetProperty("words").EnumerateArray().ToList();
        Assert.Equal(["a", "red", "circle", "moves", "left"], words.Select(w => w.GetProperty("token").GetString()));
        foreach (var word in words)
        {
            var weights = word.GetProperty("weights").EnumerateArray().Select(w => w.GetDouble()).ToList();
            Assert.Equal(places.Count, weights.Count);
            Assert.Equal(places.Count, word.GetProperty("similarities").GetArrayLength());
            Assert.Equal(1.0, weights.Sum(), 3);
        }
        using var thumbnail = await _client.GetAsync(frames[^1].GetProperty("thumbnailUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
    }

    [Fact]
    public async Task Explain_UnknownVideo_Answers404Problem()
    {
        using var response = await _client.PostAsJsonAsync("/api/search/explain", new { text = "a red circle", videoId = Guid.NewGuid() });
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Explain_UnknownSegment_Answers404Problem()
    {
        using var response = await _client.PostAsJsonAsync("/api/search/explain", new { text = "a red circle", videoId = gallery.Videos["red"], segment = 5 });
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public async Task Explain_NoText_Answers400Problem(string? text)
    {
        using var response = await _client.PostAsJsonAsync("/api/search/explain", new { text, videoId = gallery.Videos["red"] });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Search_ImageOfAStoredFrame_FindsThatVideoFirst()
    {
        foreach (var name in new[] { "red", "blue" })
        {
            var thumbnail = await _client.GetByteArrayAsync($"/api/videos/{gallery.Videos[name]}/frames/1.jpg");
            var form = new MultipartFormDataContent();
            var image = new ByteArrayContent(thumbnail);
            image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(image, "image", "query.jpg");
            form.Add(new StringContent("3"), "topK");
            using var response = await _client.PostAsync("/api/search/videos", form);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var hits = (await response.JsonAsync()).GetProperty("results").EnumerateArray().ToList();
            Assert.True(gallery.Videos[name] == hits[0].GetProperty("videoId").GetGuid(),
                string.Join("; ", hits.Select(h => $"{h.GetProperty("title")} {h.GetProperty("score")} {h.GetProperty("scores")}")));
            Assert.NotEmpty(hits[0].GetProperty("moments").EnumerateArray());
        }
    }

    [Fact]
    public async Task Search_ImageAtTheVideoLevelOnly_LeavesTheFrameScoreOut()
    {
        using var response = await PostImageAsync(gallery.Videos["red"], "video");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var scores = (await response.JsonAsync()).GetProperty("results")[0].GetProperty("scores");

        Assert.Equal(JsonValueKind.Number, scores.GetProperty("video").ValueKind);
        Assert.Equal(JsonValueKind.Null, scores.GetProperty("frame").ValueKind);
    }

    [Fact]
    public async Task Search_ImageAtThePatchLevelOnly_Answers400()
    {
        using var response = await PostImageAsync(gallery.Videos["red"], "patch");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    private async Task<HttpResponseMessage> PostImageAsync(Guid video, string granularity)
    {
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(await _client.GetByteArrayAsync($"/api/videos/{video}/frames/1.jpg")), "image", "query.jpg" },
            { new StringContent(granularity), "granularities" },
        };
        return await _client.PostAsync("/api/search/videos", form);
    }

    [Fact]
    public async Task Search_ImageThatIsNotAnImage_Answers422()
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.ASCII.GetBytes("not a picture")), "image", "x.png" } };
        using var response = await _client.PostAsync("/api/search/videos", form);
        await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "not-an-image");
    }

    [Fact]
    public async Task Search_CursorPages_CoverTheRankingOnceAndSurviveAnInsert()
    {
        var full = Ids(await Search(new { text = "a yellow star", topK = 10 }));
        var seen = new List<Guid>();
        var page = await Search(new { text = "a yellow star", topK = 1 });
        seen.AddRange(Ids(page));
        // The gallery changes between pages: a new clip is ingested.
        var added = (await _client.IngestAsync(await TestVideos.Mp4Async(200, 200, 30), "yellow")).GetProperty("videoId").GetGuid();
        try
        {
            while (page.GetProperty("nextCursor").GetString() is { } cursor)
            {
                page = await Search(new { text = "a yellow star", topK = 1, cursor });
                seen.AddRange(Ids(page));
            }
            Assert.Equal(seen.Count, seen.Distinct().Count());          // nothing repeats
            Assert.Equal(full.Order(), seen.Where(id => id != added).Order()); // nothing present throughout is skipped
        }
        finally
        {
            await _client.DeleteAsync($"/api/videos/{added}");
        }
    }

    [Fact]
    public async Task Search_CursorOfAnotherQuery_Answers400()
    {
        var page = await Search(new { text = "a yellow star", topK = 1 });
        var cursor = page.GetProperty("nextCursor").GetString();
        using var response = await _client.PostAsJsonAsync("/api/search/videos", new { text = "a green square", topK = 1, cursor });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task EmbedText_JsonAndNpy_AgreeAndAreNormalised()
    {
        var texts = new[] { "a red circle", "a green square slides to the right" };
        var json = await (await _client.PostAsJsonAsync("/api/embeddings/text", new { texts })).JsonAsync();
        var dim = json.GetProperty("dim").GetInt32();
        var items = json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        var sentence = items.Select(i => i.GetProperty("sentence").EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
        Assert.All(sentence, s => Assert.Equal(1.0, Math.Sqrt(s.Sum(v => v * v)), 3));
        Assert.All(items, i => Assert.Equal(i.GetProperty("tokenIds").GetArrayLength(), i.GetProperty("words").GetArrayLength()));

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/embeddings/text") { Content = JsonContent.Create(new { texts }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-npy"));
        using var npy = await _client.SendAsync(request);
        Assert.Equal("application/x-npy", npy.Content.Headers.ContentType?.MediaType);
        var (shape, values) = ReadNpy(await npy.Content.ReadAsByteArrayAsync());
        Assert.Equal(new[] { 2, dim }, shape);
        Assert.Equal(sentence.SelectMany(s => s).ToArray(), values);
    }

    [Fact]
    public async Task EmbedVideo_StoredAndUploaded_SameFeaturesAndNothingStored()
    {
        var stored = await (await _client.PostAsJsonAsync("/api/embeddings/video", new { videoId = gallery.Videos["green"] })).JsonAsync();
        var frames = stored.GetProperty("frames").GetArrayLength();
        Assert.Equal(frames, stored.GetProperty("patches").GetArrayLength());
        Assert.Equal(frames, stored.GetProperty("frameTimes").GetArrayLength());

        var before = (await (await _client.GetAsync("/api/videos")).JsonAsync()).GetProperty("total").GetInt64();
        var form = ApiClient.UploadForm(gallery.Clips["green"]);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/embeddings/video?part=frames") { Content = form };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-npy"));
        using var npy = await _client.SendAsync(request);
        Assert.True(npy.StatusCode == HttpStatusCode.OK, await npy.Content.ReadAsStringAsync());
        var (shape, values) = ReadNpy(await npy.Content.ReadAsByteArrayAsync());
        Assert.Equal(new[] { frames, stored.GetProperty("dim").GetInt32() }, shape);
        var storedFrames = stored.GetProperty("frames").EnumerateArray().SelectMany(f => f.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            Assert.InRange(values[i], storedFrames[i] - 2e-3f, storedFrames[i] + 2e-3f); // halfvec storage
        }
        Assert.Equal(before, (await (await _client.GetAsync("/api/videos")).JsonAsync()).GetProperty("total").GetInt64());
    }

    private async Task<JsonElement> Search(object body)
    {
        using var response = await _client.PostAsJsonAsync("/api/search/videos", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private static List<Guid> Ids(JsonElement body) =>
        body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("videoId").GetGuid()).ToList();

    /// <summary>Parses a .npy v1.0 float32 C-order file.</summary>
    internal static (int[] Shape, float[] Values) ReadNpy(byte[] bytes)
    {
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        Assert.Equal(1, bytes[6]);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains("'fortran_order': False", header);
        var dims = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..];
        var shape = dims[..dims.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var body = bytes.AsSpan(10 + headerLength);
        var values = new float[body.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(body[(4 * i)..]);
        }
        Assert.Equal(shape.Aggregate(1, (a, b) => a * b), values.Length);
        return (shape, values);
    }
}
