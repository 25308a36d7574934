namespace UCoFIA.Storage.Tests;

/// <summary>Listing and counting need a database of their own: they see every row.</summary>
public sealed class VideoListingTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly VideoRepository _videos = new(fixture.DataSource);

    [Fact]
    public async Task ListAsync_Pages_ReturnNewestFirstWithTotal()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var inserted = new List<VideoRecord>();
        for (var i = 0; i < 5; i++)
        {
            var video = Features.Record(createdAt: start.AddMinutes(i));
            await _videos.InsertAsync(video, Features.Segments(Features.Video(new Random(i), frames: 1, patches: 1), video.Id), CancellationToken.None);
            inserted.Add(video);
        }
        var newestFirst = inserted.AsEnumerable().Reverse().Select(v => v.Id).ToList();

        var first = await _videos.ListAsync(1, 2, CancellationToken.None);
        var third = await _videos.ListAsync(3, 2, CancellationToken.None);
        var beyond = await _videos.ListAsync(4, 2, CancellationToken.None);

        Assert.Equal(newestFirst[..2], first.Items.Select(v => v.Id));
        Assert.Equal(newestFirst[4..], third.Items.Select(v => v.Id));
        Assert.Empty(beyond.Items);
        Assert.All([first.Total, third.Total, beyond.Total], total => Assert.Equal(5, total));
        Assert.Equal(5, await _videos.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_PageZero_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _videos.ListAsync(0, 10, CancellationToken.None));
    }
}
