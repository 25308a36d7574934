using UCoFIA.Media.Synthetic;
using UCoFIA.Service.Tests.Architecture;

namespace UCoFIA.Service.Tests.Features;

/// <summary>
/// The real service with the shipped default model and three ingested synthetic-world clips (a red circle, a green
/// square, a blue triangle), shared by the feature tests of one class. The default model, not the tiny random one:
/// a random vision tower maps every frame to nearly the same feature, so an image query would rank on rounding noise.
/// </summary>
public sealed class GalleryFixture : IAsyncLifetime
{
    public static readonly (string Name, SceneSpec Scene)[] Scenes =
    [
        ("red", new(new(Pattern.Solid, Colour.White), new(Colour.Red, Shape.Circle, 1), Motion.Left, new(Colour.Black, Shape.Square, Corner.TopLeft))),
        ("green", new(new(Pattern.Stripes, Colour.Black), new(Colour.Green, Shape.Square, 1), Motion.Up, new(Colour.White, Shape.Star, Corner.BottomRight))),
        ("blue", new(new(Pattern.Checker, Colour.Yellow), new(Colour.Blue, Shape.Triangle, 2), Motion.Growing, new(Colour.Red, Shape.Ring, Corner.TopRight))),
    ];

    public ServiceFactory Factory { get; } = new();

    public Dictionary<string, Guid> Videos { get; } = [];

    /// <summary>The uploaded MP4 bytes of each clip.</summary>
    public Dictionary<string, byte[]> Clips { get; } = [];

    public async Task InitializeAsync()
    {
        Factory.Settings["Model:Path"] = Path.Combine(ServiceFoldersTests.RepositoryRoot(), "models", "default");
        await Factory.InitializeAsync();
        using var client = Factory.CreateClient();
        foreach (var (name, scene) in Scenes)
        {
            Clips[name] = await TestVideos.SceneMp4Async(scene);
            var job = await client.IngestAsync(Clips[name], name);
            Assert.Equal("succeeded", job.GetProperty("state").GetString());
            Videos[name] = job.GetProperty("videoId").GetGuid();
        }
    }

    public Task DisposeAsync() => ((IAsyncLifetime)Factory).DisposeAsync();
}
