namespace UCoFIA.Storage.Tests;

public sealed class ReindexRepositoryTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly ReindexRepository _reindex = new(fixture.DataSource);
    private readonly VideoRepository _videos = new(fixture.DataSource);
    private readonly FeatureRepository _features = new(fixture.DataSource);
    private readonly SkFitRepository _fits = new(fixture.DataSource);

    [Fact]
    public async Task ReplaceVideoAsync_BiasOfAnOldFitThenOfTheCurrentOne_KeepsTheOldSegmentsUntilTheNewOnesCommit()
    {
        var video = Features.Record();
        var old = Features.Segments(Features.Video(new Random(1)));
        await _videos.InsertAsync(video, old, CancellationToken.None);
        var target = new ReindexTarget("model-b", "/models/b", 8, 4);
        var state = await _reindex.BeginAsync(target, restart: false, CancellationToken.None);
        var stale = (await _fits.GetAsync(SkGallery.Videos, CancellationToken.None)).Version;
        await _fits.CommitFitAsync(SkGallery.Videos, [[1f], [1f], [1f]], 1, new Dictionary<Guid, float[]>(), CancellationToken.None);
        SegmentInsert[] New(long fit) =>
            [.. Enumerable.Range(0, 3).Select(i => new SegmentInsert(Guid.NewGuid(), i, 4 * i, 4 * i + 8, 2 * i, SkBias.None(fit), Features.Video(new Random(10 + i))))];

        var refused = await _reindex.ReplaceVideoAsync(video.Id, 10, New(stale), [], CancellationToken.None);

        Assert.False(refused);
        Assert.Equal([old[0].Id], await _features.SegmentIdsOfAsync([video.Id], CancellationToken.None));
        Assert.Equal(0, (await _reindex.GetAsync(CancellationToken.None))!.VideosDone);

        var segments = New(stale + 1);
        Assert.True(await _reindex.ReplaceVideoAsync(video.Id, 10, segments, [[1, 2], [3]], CancellationToken.None));

        Assert.Equal(segments.Select(s => s.Id), await _features.SegmentIdsOfAsync([video.Id], CancellationToken.None));
        Assert.Equal(10, (await _videos.GetAsync(video.Id, CancellationToken.None))!.FrameCount);
        Assert.Equal((1L, 1L), ((await _reindex.GetAsync(CancellationToken.None))!.VideosDone, state.Videos));
        Assert.Empty(await _reindex.PendingVideosAsync(CancellationToken.None));

        await _reindex.FinishAsync(target, everyVideo: true, CancellationToken.None);

        Assert.Null(await _reindex.GetAsync(CancellationToken.None));
        await new GalleryModel(fixture.DataSource).BindAsync("model-b", "/models/b", CancellationToken.None);
    }
}
