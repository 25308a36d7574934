using Npgsql;

namespace UCoFIA.Storage.Tests;

public sealed class BulkLoaderTests : IAsyncLifetime
{
    private readonly StorageFixture _storage = new();

    public Task InitializeAsync() => _storage.InitializeAsync();

    public Task DisposeAsync() => _storage.DisposeAsync();

    [Fact]
    public async Task LoadAsync_ManyVideosInChunks_StoresEveryRowAndFeaturesRoundTrip()
    {
        var random = new Random(7);
        var videos = Enumerable.Range(0, 25).Select(_ => new BulkVideo(Features.Record(), Features.Video(random, frames: 3, patches: 2))).ToList();

        var result = await new BulkLoader(_storage.DataSource).LoadAsync(videos, CancellationToken.None, chunkSize: 10);

        Assert.Equal(25, result.Videos);
        Assert.Equal(25 * (1 + 1 + 3 + 3 * 2), result.Rows); // video, segment, frames, patches
        Assert.Equal(25, await new VideoRepository(_storage.DataSource).CountAsync(CancellationToken.None));
        var probe = videos[17];
        var stored = Assert.Single(await new FeatureRepository(_storage.DataSource).LoadSegmentsAsync([probe.Video.Id], CancellationToken.None));
        Features.AssertClose(probe.Features.Video, stored.Features.Video);
        Features.AssertClose(probe.Features.Frame(2), stored.Features.Frame(2));
        Features.AssertClose(probe.Features.Patch(1, 1), stored.Features.Patch(1, 1));
    }

    [Fact]
    public async Task LoadAsync_AfterLoad_RecallIndexesExistAndFindTheNearestVideo()
    {
        var random = new Random(8);
        var videos = Enumerable.Range(0, 40).Select(_ => new BulkVideo(Features.Record(), Features.Video(random, frames: 2, patches: 1))).ToList();

        await new BulkLoader(_storage.DataSource).LoadAsync(videos, CancellationToken.None);

        await using (var command = _storage.DataSource.CreateCommand(
            "SELECT count(*) FROM pg_indexes WHERE indexname IN ('video_segments_embedding_hnsw', 'video_frames_embedding_hnsw')"))
        {
            Assert.Equal(2L, await command.ExecuteScalarAsync());
        }
        var target = videos[23];
        var recalled = await new FeatureRepository(_storage.DataSource, exactSearchThreshold: 0)
            .RecallSegmentsAsync(target.Features.Video, 5, 40, CancellationToken.None);
        Assert.Contains(target.Video.Id, recalled.Take(2)); // video-rank 1; a frame-rank 1 of another video may tie it
    }

    [Fact]
    public async Task LoadAsync_DuplicateSha256_WritesNothingAndKeepsIndexes()
    {
        var random = new Random(9);
        var first = new BulkVideo(Features.Record(sha256: "same"), Features.Video(random));
        var second = new BulkVideo(Features.Record(sha256: "same"), Features.Video(random));

        await Assert.ThrowsAsync<PostgresException>(() => new BulkLoader(_storage.DataSource).LoadAsync([first, second], CancellationToken.None));

        Assert.Equal(0, await new VideoRepository(_storage.DataSource).CountAsync(CancellationToken.None));
        await using var command = _storage.DataSource.CreateCommand("SELECT count(*) FROM pg_indexes WHERE indexname = 'video_segments_embedding_hnsw'");
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }
}
