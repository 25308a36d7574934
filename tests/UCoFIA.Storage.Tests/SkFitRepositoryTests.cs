namespace UCoFIA.Storage.Tests;

public sealed class SkFitRepositoryTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private static readonly float[][] Scaling = [[1f, 2f], [0.5f, 0.25f], [4f, 8f]];

    private readonly SkFitRepository _fits = new(fixture.DataSource);
    private readonly VideoRepository _videos = new(fixture.DataSource);

    [Fact]
    public async Task GetAsync_CaptionGalleryNeverFitted_IsVersionZeroWithoutScaling()
    {
        var fit = await _fits.GetAsync(SkGallery.Captions, CancellationToken.None);

        Assert.Equal((0L, 0), (fit.Version, fit.GallerySize));
        Assert.All(fit.QueryScaling, Assert.Empty);
    }

    [Fact]
    public async Task CommitFitAsync_SomeVideos_StoresScalingAndTheirBiasesUnderANewVersion()
    {
        var before = await _fits.GetAsync(SkGallery.Videos, CancellationToken.None);
        var covered = Features.Record() with { SkBias = SkBias.None(before.Version) };
        var untouched = Features.Record() with { SkBias = new SkBias(9f, 9f, 9f, before.Version) };
        await _videos.InsertAsync(covered, Features.Video(new Random(11)), CancellationToken.None);
        await _videos.InsertAsync(untouched, Features.Video(new Random(12)), CancellationToken.None);

        var version = await _fits.CommitFitAsync(SkGallery.Videos, Scaling, 2,
            new Dictionary<Guid, float[]> { [covered.Id] = [0.25f, 1f, 4f] }, CancellationToken.None);

        var after = await _fits.GetAsync(SkGallery.Videos, CancellationToken.None);
        Assert.Equal(before.Version + 1, version);
        Assert.Equal((version, 2), (after.Version, after.GallerySize));
        Assert.Equal(Scaling, after.QueryScaling);
        Assert.Equal(new SkBias(0.25f, 1f, 4f, version), (await _videos.GetAsync(covered.Id, CancellationToken.None))!.SkBias);
        Assert.Equal(untouched.SkBias, (await _videos.GetAsync(untouched.Id, CancellationToken.None))!.SkBias);
        Assert.Contains(untouched.Id, await _fits.StaleIdsAsync(SkGallery.Videos, version, CancellationToken.None));
        Assert.DoesNotContain(covered.Id, await _fits.StaleIdsAsync(SkGallery.Videos, version, CancellationToken.None));
    }

    [Fact]
    public async Task InsertAsync_BiasFromAFitThatWasReplaced_IsRefusedAndWritesNothing()
    {
        // The refit race: a bias computed under the old fit reaches the database after the new fit committed.
        var old = (await _fits.GetAsync(SkGallery.Videos, CancellationToken.None)).Version;
        await _fits.CommitFitAsync(SkGallery.Videos, Scaling, 1, new Dictionary<Guid, float[]>(), CancellationToken.None);
        var video = Features.Record() with { SkBias = new SkBias(1f, 2f, 3f, old) };

        var inserted = await _videos.InsertAsync(video, Features.Video(new Random(14)), CancellationToken.None, [[1]]);

        Assert.False(inserted);
        Assert.Null(await _videos.GetAsync(video.Id, CancellationToken.None));
        Assert.Null(await new ThumbnailRepository(fixture.DataSource).GetAsync(video.Id, 0, CancellationToken.None));
    }

    [Fact]
    public async Task UpdateBiasesAsync_AfterANewerFit_IsRefused()
    {
        var old = (await _fits.GetAsync(SkGallery.Videos, CancellationToken.None)).Version;
        var video = Features.Record() with { SkBias = SkBias.None(old) };
        await _videos.InsertAsync(video, Features.Video(new Random(15)), CancellationToken.None);
        await _fits.CommitFitAsync(SkGallery.Videos, Scaling, 1, new Dictionary<Guid, float[]>(), CancellationToken.None);

        var updated = await _fits.UpdateBiasesAsync(SkGallery.Videos, new Dictionary<Guid, float[]> { [video.Id] = [1f, 1f, 1f] }, old, CancellationToken.None);

        Assert.False(updated);
        Assert.Equal(SkBias.None(old), (await _videos.GetAsync(video.Id, CancellationToken.None))!.SkBias);
    }
}
