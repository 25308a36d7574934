namespace UCoFIA.Storage.Tests;

/// <summary>40 random videos, 2 of them (5 %) tagged "cats" with a year; the rest carry other categories and years.</summary>
public sealed class FilterGalleryFixture : IAsyncLifetime
{
    public const int GallerySize = 40;

    private readonly StorageFixture _storage = new();

    public Npgsql.NpgsqlDataSource DataSource => _storage.DataSource;

    public List<Guid> Cats { get; } = [];

    public List<Guid> All { get; } = [];

    public DateTimeOffset Start { get; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        await _storage.InitializeAsync();
        var videos = new VideoRepository(DataSource);
        var random = new Random(8);
        for (var i = 0; i < GallerySize; i++)
        {
            var cat = i % 20 == 7;
            var metadata = cat ? $$"""{"category": "cats", "year": {{2019 + i / 20 * 3}}}""" : $$"""{"category": "dogs", "year": {{2000 + i}}, "n": "not a number"}""";
            var record = Features.Record(createdAt: Start.AddDays(i)) with { MetadataJson = metadata };
            await videos.InsertAsync(record, Features.Segments(Features.Video(random, frames: 3, patches: 1), record.Id), CancellationToken.None);
            All.Add(record.Id);
            if (cat)
            {
                Cats.Add(record.Id);
            }
        }
    }

    public Task DisposeAsync() => _storage.DisposeAsync();
}

public sealed class FilterTests(FilterGalleryFixture gallery) : IClassFixture<FilterGalleryFixture>
{
    // Threshold 0: every recall goes through HNSW, where an unfiltered ef_search-sized beam would hold few matches.
    private readonly FeatureRepository _hnsw = new(gallery.DataSource, exactSearchThreshold: 0);

    [Fact]
    public async Task RecallVideos_FivePercentFilter_ReturnsEveryMatchAndNothingElse()
    {
        var filter = new VideoFilter(MetadataEquals: """{"category": "cats"}""");
        for (var seed = 0; seed < 5; seed++)
        {
            var query = Features.Random(new Random(100 + seed));
            var ids = await _hnsw.RecallSegmentsAsync(query, candidates: 2, efSearch: 1, CancellationToken.None, filter);
            Assert.Equal(gallery.Cats.Order(), ids.Order());
        }
    }

    [Fact]
    public async Task RecallVideos_MoreCandidatesThanMatches_ReturnsOnlyMatches()
    {
        var filter = new VideoFilter(MetadataEquals: """{"category": "cats"}""");
        var ids = await _hnsw.RecallSegmentsAsync(Features.Random(new Random(3)), candidates: 10, efSearch: 1, CancellationToken.None, filter);
        Assert.Equal(gallery.Cats.Order(), ids.Order());
    }

    [Fact]
    public async Task RecallVideos_NumericRange_SkipsNonNumbersAndOutOfRange()
    {
        // Cats have years 2019 and 2022; dogs 2000..2039 minus the cat slots.
        var filter = new VideoFilter(Ranges: [new MetadataRange("year", Gte: 2022, Lt: 2023)]);
        var ids = await _hnsw.RecallSegmentsAsync(Features.Random(new Random(4)), candidates: 40, efSearch: 1, CancellationToken.None, filter);
        Assert.Equal(2, ids.Count); // the cat of 2022 and the dog of 2022
        var nonNumber = new VideoFilter(Ranges: [new MetadataRange("n", Gt: -1e9)]);
        Assert.Empty(await _hnsw.RecallSegmentsAsync(Features.Random(new Random(5)), 40, 1, CancellationToken.None, nonNumber));
    }

    [Fact]
    public async Task RecallVideos_CreatedAtWindow_ReturnsThoseDays()
    {
        var filter = new VideoFilter(CreatedFrom: gallery.Start.AddDays(10), CreatedTo: gallery.Start.AddDays(13));
        var ids = await _hnsw.RecallSegmentsAsync(Features.Random(new Random(6)), candidates: 40, efSearch: 1, CancellationToken.None, filter);
        Assert.Equal(gallery.All.Skip(10).Take(3).Order(), ids.Order());
    }

    [Fact]
    public async Task SegmentIds_Filter_ReturnsTheMatchingVideosSegmentsOnly()
    {
        var ids = await _hnsw.SegmentIdsAsync(CancellationToken.None, new VideoFilter(MetadataEquals: """{"category": "cats"}"""));
        var segments = await _hnsw.LoadSegmentsAsync(ids, CancellationToken.None);
        Assert.Equal(gallery.Cats.Order(), segments.Select(s => s.VideoId).Order());
    }

    [Fact]
    public async Task Thumbnails_InsertedWithTheVideo_RoundTripAndCascadeOnDelete()
    {
        var thumbnails = new ThumbnailRepository(gallery.DataSource);
        var videos = new VideoRepository(gallery.DataSource);
        var record = Features.Record();
        await videos.InsertAsync(record, Features.Segments(Features.Video(new Random(9), frames: 2, patches: 1), record.Id), CancellationToken.None, [[1, 2, 3], [4, 5]]);
        Assert.Equal(new byte[] { 4, 5 }, await thumbnails.GetAsync(record.Id, 1, CancellationToken.None));
        Assert.Null(await thumbnails.GetAsync(record.Id, 2, CancellationToken.None));
        await videos.DeleteAsync(record.Id, CancellationToken.None);
        Assert.Null(await thumbnails.GetAsync(record.Id, 0, CancellationToken.None));
    }
}
