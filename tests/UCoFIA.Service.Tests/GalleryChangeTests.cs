using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using UCoFIA.Service.Search;
using UCoFIA.Storage;

namespace UCoFIA.Service.Tests;

/// <summary>
/// Another instance's writes reach this one's memory (issue 16): the test plays the other instance with its own
/// repositories on the same database, and watches this service's candidate feature cache.
/// </summary>
public sealed class GalleryChangeTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task AnotherInstance_DeletesAVideoThenCommitsAFit_ThisOneDropsTheVideoThenServesOnlyTheNewFitsBias()
    {
        using var client = factory.CreateClient();
        var deleted = (await client.IngestAsync(await TestVideos.Mp4Async(200, 30, 30))).GetProperty("videoId").GetGuid();
        var kept = (await client.IngestAsync(await TestVideos.Mp4Async(30, 30, 200))).GetProperty("videoId").GetGuid();
        var cache = factory.Services.GetRequiredService<FeatureCache>();
        var features = factory.Services.GetRequiredService<FeatureRepository>();
        var deletedSegments = await features.SegmentIdsOfAsync([deleted], CancellationToken.None);
        var keptSegments = await features.SegmentIdsOfAsync([kept], CancellationToken.None);
        // Each ingestion may start a background refit, which empties the cache when it commits: search until the
        // cache stays full, so that what follows sees only the other instance's changes.
        var quiet = 0;
        for (var attempt = 0; quiet < 2 && attempt < 50; attempt++)
        {
            using (var search = await client.PostAsJsonAsync("/api/search/videos", new { text = "a red circle", exhaustive = true }))
            {
                search.EnsureSuccessStatusCode();
            }
            await Task.Delay(300);
            quiet = cache.Lookup([.. deletedSegments, .. keptSegments]).Missing.Count == 0 ? quiet + 1 : 0;
        }
        Assert.Equal(2, quiet);
        await using var other = DataSourceFactory.Create(factory.Database.ConnectionString);

        Assert.True(await new VideoRepository(other).DeleteAsync(deleted, CancellationToken.None));
        await WaitUntilAsync(() => cache.Lookup(deletedSegments).Found.Count == 0);
        Assert.Empty(cache.Lookup(keptSegments).Missing);

        var bank = File.ReadAllLines(Path.Combine(factory.ModelPath, "sk_bank.txt")).Length;
        var fit = await new SkFitRepository(other).CommitFitAsync(SkGallery.Videos, [new float[bank], new float[bank], new float[bank]], 1,
            keptSegments.ToDictionary(id => id, _ => new[] { 1f, 2f, 3f }), CancellationToken.None);
        // The cache is cleared and warmed again from the database: whatever it holds then carries the new fit's bias.
        await WaitUntilAsync(() => cache.Lookup(keptSegments).Found is var found
            && found.Count == keptSegments.Count && found.All(s => s.Bias == SkBias.FromLevels([1f, 2f, 3f], fit)));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 250 && !condition(); i++)
        {
            await Task.Delay(20);
        }
        Assert.True(condition(), "the change did not reach this instance within 5 s");
    }
}
