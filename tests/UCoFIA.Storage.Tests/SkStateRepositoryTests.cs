namespace UCoFIA.Storage.Tests;

public sealed class SkStateRepositoryTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly SkStateRepository _state = new(fixture.DataSource);

    [Fact]
    public async Task GetQueryScalingAsync_NeverFitted_ReturnsNull()
    {
        Assert.Null(await _state.GetQueryScalingAsync("never", CancellationToken.None));
    }

    [Fact]
    public async Task SaveAsync_Twice_KeepsTheLatestScalingAndGallerySize()
    {
        await _state.SaveAsync("frame", [1f, 2f], 10, CancellationToken.None);
        await _state.SaveAsync("frame", [0.5f, 0.25f, 4f], 20, CancellationToken.None);

        var scaling = await _state.GetQueryScalingAsync("frame", CancellationToken.None);
        var state = await _state.GetAsync("frame", CancellationToken.None);

        Assert.Equal([0.5f, 0.25f, 4f], scaling!);
        Assert.Equal(20, state!.GallerySize);
        Assert.InRange(state.FittedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }
}
