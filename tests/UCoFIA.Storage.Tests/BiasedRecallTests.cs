namespace UCoFIA.Storage.Tests;

/// <summary>
/// The segment scan of a text query ranks by the video-level score plus the segment's Sinkhorn–Knopp bias, as the
/// re-rank does. Three videos: A nearest the video query, B a little farther with a large bias, C the frame scan's
/// winner (so the frame side is settled and the segment side alone decides who else is recalled).
/// </summary>
public sealed class BiasedRecallTests : IAsyncLifetime
{
    private readonly StorageFixture storage = new(); // a gallery of its own per case

    public Task InitializeAsync() => storage.InitializeAsync();

    public Task DisposeAsync() => storage.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RecallSegmentsAsync_VideoQueryGiven_ABiasLiftsASegmentPastANearerOne(bool withScore)
    {
        var videos = new VideoRepository(storage.DataSource);
        var nearer = await InsertAsync(videos, Features.Axis(5), Features.Axis(1), SkBias.None());
        var biased = await InsertAsync(videos, Features.Normalise([.. Features.Axis(5).Select((v, i) => i == 4 ? 0.33f : v)]), Features.Axis(2),
            SkBias.FromLevels([5f, 0f, 0f], 0)); // fit 0: the gallery's current fit
        var frameWinner = await InsertAsync(videos, Features.Axis(5, sign: -1f), Features.Axis(0), SkBias.None());

        var ids = await new FeatureRepository(storage.DataSource, exactSearchThreshold: int.MaxValue).RecallSegmentsAsync(
            Features.Axis(0), candidates: 2, efSearch: 40, CancellationToken.None,
            videoQuery: withScore ? [.. Features.Axis(5).Select(v => 2 * v)] : null);

        // Scores: nearer 2·1 + 0 = 2, biased 2·0.95 + 5 ≈ 6.9. Without a video query the cosine decides: nearer first.
        Assert.Equal(new[] { withScore ? biased : nearer, frameWinner }.Order(), ids.Order());
    }

    private static async Task<Guid> InsertAsync(VideoRepository videos, float[] video, float[] frame, SkBias bias)
    {
        var id = Guid.NewGuid();
        var rows = new VideoFeatureRows(video, frame, [0.0], Features.Axis(3), [0]);
        await videos.InsertAsync(Features.Record(id), Features.Segments(rows, id, bias), CancellationToken.None);
        return id;
    }
}
