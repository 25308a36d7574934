using Npgsql;

namespace UCoFIA.Storage.Tests;

/// <summary>A gallery of random videos plus one whose video vector is far from axis 0 but whose frame lies on it.</summary>
public sealed class RecallGalleryFixture : IAsyncLifetime
{
    public const int GallerySize = 300;

    private readonly StorageFixture _storage = new();

    public NpgsqlDataSource DataSource => _storage.DataSource;

    public List<(Guid Id, float[] Video)> Videos { get; } = [];

    public Guid FrameOnlyMatch { get; } = Guid.NewGuid();

    public async Task InitializeAsync()
    {
        await _storage.InitializeAsync();
        var videos = new VideoRepository(DataSource);
        var random = new Random(42);
        for (var i = 0; i < GallerySize - 1; i++)
        {
            var rows = Features.Video(random, frames: 2, patches: 1);
            var record = Features.Record();
            await videos.InsertAsync(record, Features.Segments(rows, record.Id), CancellationToken.None);
            Videos.Add((record.Id, rows.Video));
        }
        var far = new VideoFeatureRows(
            Features.Axis(0, sign: -1f),
            [.. Features.Random(random), .. Features.Axis(0)],
            [0.0, 1.0],
            [.. Features.Random(random), .. Features.Random(random)],
            [0, 0]);
        await videos.InsertAsync(Features.Record(FrameOnlyMatch), Features.Segments(far, FrameOnlyMatch), CancellationToken.None);
        Videos.Add((FrameOnlyMatch, far.Video));
    }

    public Task DisposeAsync() => _storage.DisposeAsync();
}

public sealed class RecallTests(RecallGalleryFixture gallery) : IClassFixture<RecallGalleryFixture>
{
    private const int Exact = int.MaxValue;
    private const int Hnsw = 0;

    [Theory]
    [InlineData(Exact)]
    [InlineData(Hnsw)]
    public async Task RecallSegmentsAsync_CandidatesAboveDefaultEfSearch_ReturnsThatManyDistinctIdsWithTheNearest(int exactSearchThreshold)
    {
        var features = new FeatureRepository(gallery.DataSource, exactSearchThreshold);
        var random = new Random(7);
        var (targetId, targetVector) = gallery.Videos[123];
        var query = Features.Normalise(targetVector.Select(v => v + (float)(random.NextDouble() - 0.5) * 0.05f).ToArray());

        // efSearch 10 < candidates: the repository must raise it, or HNSW stops at ef_search rows.
        var ids = await features.RecallSegmentsAsync(query, candidates: 100, efSearch: 10, CancellationToken.None);

        Assert.Equal(100, ids.Count);
        Assert.Equal(100, ids.Distinct().Count());
        Assert.Contains(targetId, ids);
    }

    [Theory]
    [InlineData(Exact)]
    [InlineData(Hnsw)]
    public async Task RecallSegmentsAsync_VideoVectorFarButOneFrameNear_FindsTheVideo(int exactSearchThreshold)
    {
        var features = new FeatureRepository(gallery.DataSource, exactSearchThreshold);

        var ids = await features.RecallSegmentsAsync(Features.Axis(0), candidates: 10, efSearch: 40, CancellationToken.None);

        Assert.Equal(10, ids.Count);
        Assert.Contains(gallery.FrameOnlyMatch, ids);
    }

    [Theory]
    [InlineData(Exact)]
    [InlineData(Hnsw)]
    public async Task RecallSegmentsAsync_VideoQueryGiven_ScansSegmentVectorsWithItAndFramesWithTheQuery(int exactSearchThreshold)
    {
        var features = new FeatureRepository(gallery.DataSource, exactSearchThreshold);
        var (targetId, targetVector) = gallery.Videos[77];

        // The frame query points at the frame-only match, the video query at another video's segment vector.
        var ids = await features.RecallSegmentsAsync(Features.Axis(0), candidates: 2, efSearch: 40, CancellationToken.None,
            videoQuery: targetVector.Select(v => 3 * v).ToArray());

        Assert.Equal(new[] { targetId, gallery.FrameOnlyMatch }.Order(), ids.Order());
    }

    [Fact]
    public async Task RecallSegmentsAsync_MoreCandidatesThanVideos_ReturnsWholeGallery()
    {
        var features = new FeatureRepository(gallery.DataSource, Hnsw);

        var ids = await features.RecallSegmentsAsync(Features.Axis(3), candidates: 1000, efSearch: 40, CancellationToken.None);

        Assert.Equal(gallery.Videos.Select(v => v.Id).Order(), ids.Order());
    }

    /// <summary>
    /// Guards the HNSW cases above: through the index (as the repository forces above its threshold), a bare
    /// LIMIT 100 query returns only ef_search (40) rows on this gallery: the pitfall the repository must avoid.
    /// </summary>
    [Fact]
    public async Task BareHnswQuery_LimitAboveEfSearch_ReturnsOnlyEfSearchRows()
    {
        await using var connection = await gallery.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var forceIndex = new NpgsqlCommand("SET LOCAL enable_seqscan = off", connection, transaction))
        {
            await forceIndex.ExecuteNonQueryAsync();
        }
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM (SELECT id FROM video_segments ORDER BY embedding <=> @query LIMIT 100) AS hits", connection, transaction);
        command.Parameters.AddWithValue("query", new Pgvector.HalfVector(Features.Axis(3).Select(v => (Half)v).ToArray()));

        Assert.Equal(40L, await command.ExecuteScalarAsync());
    }
}
