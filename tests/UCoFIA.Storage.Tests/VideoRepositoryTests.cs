using Npgsql;
using UCoFIA.Tests.Shared;

namespace UCoFIA.Storage.Tests;

public sealed class VideoRepositoryTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly VideoRepository _videos = new(fixture.DataSource);
    private readonly FeatureRepository _features = new(fixture.DataSource);

    [Fact]
    public async Task InsertAsync_ThenGet_ReturnsTheRecord()
    {
        var video = Features.Record();
        var bias = new SkBias(1.5f, 0.5f, 2f, 0);
        await _videos.InsertAsync(video, Features.Segments(Features.Video(new Random(1)), video.Id, bias), CancellationToken.None);

        var stored = await _videos.GetAsync(video.Id, CancellationToken.None);
        var bySha = await _videos.FindBySha256Async(video.Sha256, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Equal(video.Id, bySha?.Id);
        Assert.Equal((video.Sha256, video.Title, video.DurationSeconds, video.Fps, video.FrameCount),
            (stored.Sha256, stored.Title, stored.DurationSeconds, stored.Fps, stored.FrameCount));
        // timestamptz keeps microseconds.
        Assert.InRange((stored.CreatedAt - video.CreatedAt).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        Assert.Equal("test", System.Text.Json.JsonDocument.Parse(stored.MetadataJson).RootElement.GetProperty("source").GetString());
        Assert.Equal(bias, Assert.Single(await _features.LoadSegmentsAsync([video.Id], CancellationToken.None)).Bias);
    }

    [Fact]
    public async Task GetAsync_UnknownId_ReturnsNull()
    {
        Assert.Null(await _videos.GetAsync(Guid.NewGuid(), CancellationToken.None));
        Assert.Null(await _videos.FindBySha256Async("no-such-sha", CancellationToken.None));
    }

    [Fact]
    public async Task InsertAsync_ThenLoadFeatures_RoundTripsWithinHalfPrecision()
    {
        var video = Features.Record();
        var rows = Features.Video(new Random(2), frames: 5, patches: 4);
        await _videos.InsertAsync(video, Features.Segments(rows, video.Id), CancellationToken.None);

        var loaded = Assert.Single(await _features.LoadSegmentsAsync([video.Id], CancellationToken.None));

        Assert.Equal(video.Id, loaded.Id);
        Assert.Equal(video.Title, loaded.Title);
        Features.AssertClose(rows.Video, loaded.Features.Video);
        Assert.Equal(rows.FrameTimes, loaded.Features.FrameTimes);
        Assert.Equal((rows.FrameCount, rows.PatchesPerFrame), (loaded.Features.FrameCount, loaded.Features.PatchesPerFrame));
        Features.AssertClose(rows.Frames, loaded.Features.Frames);
        Features.AssertClose(rows.Patches, loaded.Features.Patches);
        Assert.Equal(rows.PatchIndices, loaded.Features.PatchIndices);
        Assert.Equal(SkBias.None(), loaded.Bias);
    }

    [Fact]
    public async Task LoadSegmentsAsync_SeveralIds_ReturnsEachWithItsOwnRows()
    {
        var first = Features.Record();
        var second = Features.Record();
        var firstRows = Features.Video(new Random(3), frames: 2, patches: 1);
        var secondRows = Features.Video(new Random(4), frames: 6, patches: 2);
        await _videos.InsertAsync(first, Features.Segments(firstRows, first.Id), CancellationToken.None);
        await _videos.InsertAsync(second, Features.Segments(secondRows, second.Id), CancellationToken.None);

        var loaded = (await _features.LoadSegmentsAsync([first.Id, second.Id, Guid.NewGuid()], CancellationToken.None))
            .ToDictionary(v => v.Id);

        Assert.Equal(2, loaded.Count);
        Assert.Equal(2, loaded[first.Id].Features.FrameCount);
        Assert.Equal(6, loaded[second.Id].Features.FrameCount);
        Assert.Equal(2, loaded[second.Id].Features.PatchesPerFrame);
        Features.AssertClose(secondRows.Frame(5), loaded[second.Id].Features.Frame(5));
    }

    [Fact]
    public async Task InsertAsync_DuplicateSha256_ThrowsAndWritesNothing()
    {
        var original = Features.Record();
        await _videos.InsertAsync(original, Features.Segments(Features.Video(new Random(5)), original.Id), CancellationToken.None);
        var before = await DatabaseCounts.RowCountsAsync(fixture.DataSource, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            _videos.InsertAsync(Features.Record(sha256: original.Sha256), Features.Segments(Features.Video(new Random(6))), CancellationToken.None, [[1, 2, 3]]));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal(before, await DatabaseCounts.RowCountsAsync(fixture.DataSource, CancellationToken.None));
    }

    [Fact]
    public async Task InsertAsync_WrongDimension_ThrowsAndWritesNothing()
    {
        var rows = Features.Video(new Random(7), dim: StorageFixture.Dim + 1);
        var video = Features.Record();
        var before = await DatabaseCounts.RowCountsAsync(fixture.DataSource, CancellationToken.None);

        await Assert.ThrowsAsync<PostgresException>(() => _videos.InsertAsync(video, Features.Segments(rows, video.Id), CancellationToken.None));

        Assert.Equal(before, await DatabaseCounts.RowCountsAsync(fixture.DataSource, CancellationToken.None));
        Assert.Null(await _videos.GetAsync(video.Id, CancellationToken.None));
    }

    [Fact]
    public async Task InsertAsync_MismatchedFrameTimes_ThrowsArgumentException()
    {
        var rows = Features.Video(new Random(9)) with { FrameTimes = [0.0] };

        await Assert.ThrowsAsync<ArgumentException>(() => _videos.InsertAsync(Features.Record(), Features.Segments(rows), CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_Existing_RemovesVideoFramesPatchesAndCaptions()
    {
        var video = Features.Record();
        await _videos.InsertAsync(video, Features.Segments(Features.Video(new Random(10)), video.Id), CancellationToken.None);
        var captions = new CaptionRepository(fixture.DataSource);
        await captions.InsertAsync([new CaptionInsert(Guid.NewGuid(), video.Id, "a dog", Features.Axis(0), [1, 2], [Features.Axis(1), Features.Axis(2)], SkBias.None())], CancellationToken.None);

        Assert.True(await _videos.DeleteAsync(video.Id, CancellationToken.None));
        Assert.False(await _videos.DeleteAsync(video.Id, CancellationToken.None));

        Assert.Null(await _videos.GetAsync(video.Id, CancellationToken.None));
        await using var command = fixture.DataSource.CreateCommand(
            """
            SELECT (SELECT count(*) FROM video_frames WHERE video_id = @id)
                 + (SELECT count(*) FROM video_patches WHERE video_id = @id)
                 + (SELECT count(*) FROM captions WHERE video_id = @id)
                 + (SELECT count(*) FROM caption_words w JOIN captions c ON c.id = w.caption_id WHERE c.video_id = @id)
            """);
        command.Parameters.AddWithValue("id", video.Id);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task InsertAsync_WithThumbnails_CommitsThemWithTheVideo()
    {
        var video = Features.Record();
        byte[][] jpegs = [[1, 2], [3, 4], [5, 6], [7, 8]];

        await _videos.InsertAsync(video, Features.Segments(Features.Video(new Random(13)), video.Id), CancellationToken.None, jpegs);

        var thumbnails = new ThumbnailRepository(fixture.DataSource);
        Assert.Equal(jpegs[3], await thumbnails.GetAsync(video.Id, 3, CancellationToken.None));
    }

    [Fact]
    public async Task InsertAsync_SeveralSegments_LoadsEachWithItsWindowAndRows()
    {
        var video = Features.Record();
        var first = Features.Video(new Random(20), frames: 3, patches: 2);
        var second = Features.Video(new Random(21), frames: 2, patches: 2);
        SegmentInsert[] segments =
        [
            new(Guid.NewGuid(), 0, 0, 16, 0, SkBias.None(), first),
            new(Guid.NewGuid(), 1, 12, 20, 2, SkBias.None(), second),
        ];
        await _videos.InsertAsync(video, segments, CancellationToken.None);

        var ids = await _features.SegmentIdsOfAsync([video.Id], CancellationToken.None);
        var loaded = (await _features.LoadSegmentsAsync(ids, CancellationToken.None)).OrderBy(s => s.Index).ToList();

        Assert.Equal(segments.Select(s => s.Id), ids);
        Assert.Equal([(0, 0.0, 16.0, 0, 3), (1, 12.0, 20.0, 2, 2)], loaded.Select(s => (s.Index, s.Start, s.End, s.FirstSample, s.Features.FrameCount)));
        Assert.All(loaded, s => Assert.Equal(video.Id, s.VideoId));
        Features.AssertClose(second.Patch(1, 1), loaded[1].Features.Patch(1, 1));
        Features.AssertClose(first.Video, loaded[0].Features.Video);
    }
}
