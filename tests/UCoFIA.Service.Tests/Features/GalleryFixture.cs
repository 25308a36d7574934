namespace UCoFIA.Service.Tests.Features;

/// <summary>The real service with three ingested clips (red, green, blue), shared by the feature tests of one class.</summary>
public sealed class GalleryFixture : IAsyncLifetime
{
    public ServiceFactory Factory { get; } = new();

    public Dictionary<string, Guid> Videos { get; } = [];

    public async Task InitializeAsync()
    {
        await Factory.InitializeAsync();
        using var client = Factory.CreateClient();
        foreach (var (name, r, g, b) in new[] { ("red", 250, 10, 10), ("green", 10, 250, 10), ("blue", 10, 10, 250) })
        {
            var job = await client.IngestAsync(await TestVideos.Mp4Async((byte)r, (byte)g, (byte)b), name);
            Assert.Equal("succeeded", job.GetProperty("state").GetString());
            Videos[name] = job.GetProperty("videoId").GetGuid();
        }
    }

    public Task DisposeAsync() => ((IAsyncLifetime)Factory).DisposeAsync();
}
