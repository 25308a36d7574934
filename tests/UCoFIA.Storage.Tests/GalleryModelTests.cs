namespace UCoFIA.Storage.Tests;

public sealed class GalleryModelTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly GalleryModel _gallery = new(fixture.DataSource);
    private readonly VideoRepository _videos = new(fixture.DataSource);

    [Fact]
    public async Task BindAsync_GalleryWithFeaturesOfAnotherModel_ThrowsUntilItIsEmptyAgain()
    {
        await _gallery.BindAsync("model-a", "/models/a", CancellationToken.None);
        var video = Features.Record();
        await _videos.InsertAsync(video, Features.Segments(Features.Video(new Random(1)), video.Id), CancellationToken.None);

        await _gallery.BindAsync("model-a", "/models/a", CancellationToken.None);
        var error = await Assert.ThrowsAsync<GalleryModelMismatchException>(() => _gallery.BindAsync("model-b", "/models/b", CancellationToken.None));
        Assert.Contains("model-a (/models/a)", error.Message);
        Assert.Contains("model-b (/models/b)", error.Message);

        // An empty gallery holds nothing to mix, so it follows the model it is started with.
        await _videos.DeleteAsync(video.Id, CancellationToken.None);
        await _gallery.BindAsync("model-b", "/models/b", CancellationToken.None);
        await _videos.InsertAsync(Features.Record(), Features.Segments(Features.Video(new Random(2))), CancellationToken.None);
        await Assert.ThrowsAsync<GalleryModelMismatchException>(() => _gallery.BindAsync("model-a", "/models/a", CancellationToken.None));
    }
}
