using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using UCoFIA.Model;
using UCoFIA.Storage;

namespace UCoFIA.Service.Tests.Features;

/// <summary>
/// 40 videos written straight through VideoRepository with random features, 2 of them (5 %) in category "cats";
/// every recall goes through HNSW (ExactRecallThreshold 0) with ef_search 1.
/// </summary>
public sealed class FilteredGalleryFixture : IAsyncLifetime
{
    public ServiceFactory Factory { get; } = new();

    public List<Guid> Cats { get; } = [];

    public DateTimeOffset Start { get; } = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        Factory.Settings["Search:ExactRecallThreshold"] = "0";
        Factory.Settings["Search:EfSearch"] = "1";
        await Factory.InitializeAsync();
        using var _ = Factory.CreateClient(); // starts the host, which migrates the schema
        var videos = Factory.Services.GetRequiredService<VideoRepository>();
        var config = UCoFIAConfig.Tiny();
        var (d, f, k) = (config.ProjectionDim, config.Alignment.NumFrames, config.Alignment.TopKPatches);
        var random = new Random(11);
        for (var i = 0; i < 40; i++)
        {
            var cat = i is 5 or 30;
            var metadata = cat ? $$"""{"category": "cats", "rating": {{i / 10}}}""" : $$"""{"category": "dogs", "rating": {{i % 5}}}""";
            var record = new VideoRecord(Guid.NewGuid(), Guid.NewGuid().ToString("N"), $"video {i}", 2, 6, 12, Start.AddHours(i), metadata);
            var rows = new VideoFeatureRows(
                Unit(random, d),
                Enumerable.Range(0, f).SelectMany(_ => Unit(random, d)).ToArray(),
                Enumerable.Range(0, f).Select(j => 0.25 + j * 0.5).ToArray(),
                Enumerable.Range(0, f * k).SelectMany(_ => Unit(random, d)).ToArray(),
                Enumerable.Range(0, f).SelectMany(_ => Enumerable.Range(0, k)).ToArray());
            await videos.InsertAsync(record, [new SegmentInsert(Guid.NewGuid(), 0, 0, 2, 0, SkBias.None(), rows)], CancellationToken.None);
            if (cat)
            {
                Cats.Add(record.Id);
            }
        }
    }

    private static float[] Unit(Random random, int d)
    {
        var v = Enumerable.Range(0, d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)Factory).DisposeAsync();
}

public sealed class FilterSearchTests(FilteredGalleryFixture gallery) : IClassFixture<FilteredGalleryFixture>
{
    private readonly HttpClient _client = gallery.Factory.CreateClient();

    [Theory]
    [InlineData("a red circle moves left")]
    [InlineData("a yellow star grows in the middle")]
    [InlineData("first a white ring then a black cross")]
    public async Task Search_FivePercentFilter_RecallsEveryMatchAndNothingElse(string text)
    {
        var body = await Search(new { text, topK = 10, candidates = 2, filter = new { metadata = new { category = "cats" } } });
        Assert.Equal(2, body.GetProperty("candidates").GetInt32());
        Assert.Equal(gallery.Cats.Order(), Ids(body).Order());
    }

    [Fact]
    public async Task Search_RangeAndCreatedAtFilters_Combine()
    {
        // rating 3 among cats is only video 30; created in the last 20 hours of the gallery.
        var body = await Search(new
        {
            text = "a green square",
            candidates = 40,
            filter = new { metadata = new { rating = new { gte = 2.5, lt = 3.5 }, category = "cats" }, createdAfter = gallery.Start.AddHours(20) },
        });
        Assert.Equal([gallery.Cats[1]], Ids(body));
    }

    [Fact]
    public async Task Search_UnfilteredOnHnsw_StillReturnsCandidates()
    {
        var body = await Search(new { text = "a green square", topK = 40, candidates = 25 });
        Assert.Equal(25, body.GetProperty("candidates").GetInt32());
    }

    [Fact]
    public async Task Search_MalformedRange_Answers400()
    {
        using var response = await _client.PostAsJsonAsync("/api/search/videos",
            new { text = "x", filter = new { metadata = new { rating = new { between = 3 } } } });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    private async Task<JsonElement> Search(object body)
    {
        using var response = await _client.PostAsJsonAsync("/api/search/videos", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private static List<Guid> Ids(JsonElement body) =>
        body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("videoId").GetGuid()).ToList();
}
