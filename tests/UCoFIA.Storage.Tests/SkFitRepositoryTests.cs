namespace UCoFIA.Storage.Tests;

public sealed class SkFitRepositoryTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private static readonly float[][] Scaling = [[1f, 2f], [0.5f, 0.25f], [4f, 8f]];

    private readonly SkFitRepository _fits = new(fixture.DataSource);
    private readonly VideoRepository _videos = new(fixture.DataSource);
    private readonly FeatureRepository _features = new(fixture.DataSource);

    [Fact]
    public async Task GetAsync_CaptionGalleryNeverFitted_IsVersionZeroWithoutScaling()
    {
        var fit = await _fits.GetAsync(SkGallery.Captions, CancellationToken.None);

        Assert.Equal((0L, 0), (fit.Version, fit.GallerySize));
        Assert.All(fit.QueryScaling, Assert.Empty);
    }

    [Fact]
    public async Task CommitFitAsync_SomeSegments_StoresScalingAndTheirBiasesUnderANewVersion()
    {
        var before = await _fits.GetAsync(SkGallery.Videos, CancellationToken.None);
        var covered = Features.Segments(Features.Video(new Random(11)), bias: SkBias.None(before.Version))[0];
        var untouched = Features.Segments(Features.Video(new Random(12)), bias: new SkBias(9f, 9f, 9f, before.Version))[0];
        await _videos.InsertAsync(Features.Record(), [covered], CancellationToken.None);
        await _videos.InsertAsync(Features.Record(), [untouched], CancellationToken.None);

        var version = await _fits.CommitFitAsync(SkGallery.Videos, Scaling, 2,
            new Dictionary<Guid, float[]> { [covered.Id] = [0.25f, 1f, 4f] }, CancellationToken.None);

        var after = await _fits.GetAsync(SkGallery.Videos, CancellationToken.None);
        Assert.Equal(before.Version + 1, version);
        Assert.Equal((version, 2), (after.Version, after.GallerySize));
        Assert.Equal(Scaling, after.QueryScaling);
        Assert.Equal(new SkBias(0.25f, 1f, 4f, version), await BiasAsync(covered.Id));
        Assert.Equal(untouched.Bias, await BiasAsync(untouched.Id));
        Assert.Contains(untouched.Id, await _fits.StaleIdsAsync(SkGallery.Videos, version, CancellationToken.None));
        Assert.DoesNotContain(covered.Id, await _fits.StaleIdsAsync(SkGallery.Videos, version, CancellationToken.None));
    }

    [Fact]
    public async Task InsertAsync_BiasFromAFitThatWasReplaced_IsRefusedAndWritesNothing()
    {
        // The refit race: a bias computed under the old fit reaches the database after the new fit committed.
        var old = (await _fits.GetAsync(SkGallery.Videos, CancellationToken.None)).Version;
        await _fits.CommitFitAsync(SkGallery.Videos, Scaling, 1, new Dictionary<Guid, float[]>(), CancellationToken.None);
        var video = Features.Record();

        var inserted = await _videos.InsertAsync(video, Features.Segments(Features.Video(new Random(14)), bias: new SkBias(1f, 2f, 3f, old)),
            CancellationToken.None, [[1]]);

        Assert.False(inserted);
        Assert.Null(await _videos.GetAsync(video.Id, CancellationToken.None));
        Assert.Null(await new ThumbnailRepository(fixture.DataSource).GetAsync(video.Id, 0, CancellationToken.None));
    }

    [Fact]
    public async Task UpdateBiasesAsync_AfterANewerFit_IsRefused()
    {
        var old = (await _fits.GetAsync(SkGallery.Videos, CancellationToken.None)).Version;
        var segment = Features.Segments(Features.Video(new Random(15)), bias: SkBias.None(old))[0];
        await _videos.InsertAsync(Features.Record(), [segment], CancellationToken.None);
        await _fits.CommitFitAsync(SkGallery.Videos, Scaling, 1, new Dictionary<Guid, float[]>(), CancellationToken.None);

        var updated = await _fits.UpdateBiasesAsync(SkGallery.Videos, new Dictionary<Guid, float[]> { [segment.Id] = [1f, 1f, 1f] }, old, CancellationToken.None);

        Assert.False(updated);
        Assert.Equal(SkBias.None(old), await BiasAsync(segment.Id));
    }

    [Fact]
    public async Task TryLockRefitAsync_HeldByAnotherSession_IsRefusedUntilReleased()
    {
        var other = new SkFitRepository(fixture.DataSource);
        var held = await _fits.TryLockRefitAsync(SkGallery.Videos, CancellationToken.None);
        Assert.NotNull(held);

        Assert.Null(await other.TryLockRefitAsync(SkGallery.Videos, CancellationToken.None));
        await using (var captions = await other.TryLockRefitAsync(SkGallery.Captions, CancellationToken.None))
        {
            Assert.NotNull(captions);
        }
        await held.DisposeAsync();
        await using var after = await other.TryLockRefitAsync(SkGallery.Videos, CancellationToken.None);
        Assert.NotNull(after);
    }

    private async Task<SkBias> BiasAsync(Guid segment) =>
        Assert.Single(await _features.LoadSegmentsAsync([segment], CancellationToken.None)).Bias;
}
