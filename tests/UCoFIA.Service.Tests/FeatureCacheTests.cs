using Microsoft.Extensions.DependencyInjection;
using UCoFIA.Service.Options;
using UCoFIA.Service.Search;
using UCoFIA.Storage;

namespace UCoFIA.Service.Tests;

/// <summary>The in-memory candidate features: half precision, a byte budget, warmed from the stored gallery.</summary>
public sealed class FeatureCacheTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task Warmer_HostStartsOnAStoredGallery_HoldsEverySegmentBeforeAnyQuery()
    {
        using (var client = factory.CreateClient())
        {
            await client.IngestAsync(await TestVideos.Mp4Async(200, 30, 30));
            await client.IngestAsync(await TestVideos.Mp4Async(30, 200, 30));
        }
        var segments = await factory.Services.GetRequiredService<FeatureRepository>().SegmentIdsAsync(CancellationToken.None);

        await using var second = new ServiceFactory();
        await ((IAsyncLifetime)second).InitializeAsync();
        second.Settings["ConnectionStrings:Postgres"] = factory.Database.ConnectionString;
        second.Settings["Model:Path"] = factory.ModelPath; // the model the gallery was encoded with
        using (second.CreateClient())
        {
            var cache = second.Services.GetRequiredService<FeatureCache>();
            for (var i = 0; i < 250 && cache.Count < segments.Count; i++)
            {
                await Task.Delay(20);
            }
            Assert.Equal(segments.Order(), segments.Where(cache.Contains).Order());
        }
    }

    [Fact]
    public void Lookup_AfterAdd_GivesTheStoredHalfPrecisionValuesBack()
    {
        var cache = Cache(budgetBytes: 1 << 20);
        var segment = Segment(seed: 1);

        cache.Add([segment], cache.Version);

        var found = Assert.Single(cache.Lookup([segment.Id]).Found);
        Assert.Equal(segment.Features.Video, found.Features.Video);
        Assert.Equal(segment.Features.Frames, found.Features.Frames);
        Assert.Equal(segment.Features.Patches, found.Features.Patches);
        Assert.Equal(segment.Features.PatchIndices, found.Features.PatchIndices);
        Assert.Equal(segment.Bias, found.Bias);
    }

    [Fact]
    public void TryFill_BeyondTheBudget_RefusesWithoutEvicting()
    {
        var first = Segment(seed: 1);
        var cache = Cache(budgetBytes: CompactFeatureRows.From(first.Features).SizeInBytes + 300);

        Assert.True(cache.TryFill([first], cache.Version));
        Assert.False(cache.TryFill([Segment(seed: 2)], cache.Version));

        Assert.True(cache.Contains(first.Id));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Add_RowsReadBeforeAnInvalidation_AreNotKept()
    {
        var cache = Cache(budgetBytes: 1 << 20);
        var segment = Segment(seed: 3);
        var readAt = cache.Version;

        cache.InvalidateVideo(segment.VideoId); // the video is deleted while its rows are on their way
        cache.Add([segment], readAt);

        Assert.False(cache.Contains(segment.Id));
    }

    private static FeatureCache Cache(long budgetBytes) =>
        new(Microsoft.Extensions.Options.Options.Create(new SearchOptions { FeatureCacheBytes = budgetBytes }));

    /// <summary>A segment of 2 frames, 2 patches each, D = 8, with values that half precision holds exactly (as read from halfvec).</summary>
    private static GallerySegment Segment(int seed)
    {
        var random = new Random(seed);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(Half)(random.NextSingle() - 0.5f)).ToArray();
        var rows = new VideoFeatureRows(Values(8), Values(16), [0.0, 1.0], Values(32), [0, 1, 2, 3]);
        return new GallerySegment(Guid.NewGuid(), Guid.NewGuid(), "clip", 0, 0, 2, 0, SkBias.FromLevels([0.5f, 0.25f, 0.125f], 7), rows);
    }
}
