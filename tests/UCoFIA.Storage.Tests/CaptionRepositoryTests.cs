using UCoFIA.Tests.Shared;

namespace UCoFIA.Storage.Tests;

/// <summary>Each test gets its own database: counts and recall see every caption.</summary>
public sealed class CaptionRepositoryTests : IAsyncLifetime
{
    private readonly StorageFixture _fixture = new();
    private CaptionRepository _captions = null!;

    public async Task InitializeAsync()
    {
        await _fixture.InitializeAsync();
        _captions = new CaptionRepository(_fixture.DataSource);
    }

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private static CaptionInsert Caption(Random random, Guid? videoId = null, int words = 3) => new(
        Guid.NewGuid(), videoId, $"caption {random.Next()}", Features.Random(random),
        Enumerable.Range(100, words).ToArray(), Enumerable.Range(0, words).Select(_ => Features.Random(random)).ToArray(), SkBias.None());

    [Fact]
    public async Task InsertAsync_ThenLoad_RoundTripsTextAndFeatures()
    {
        var video = Features.Record();
        await new VideoRepository(_fixture.DataSource).InsertAsync(video, Features.Segments(Features.Video(new Random(1)), video.Id), CancellationToken.None);
        var random = new Random(2);
        var withVideo = Caption(random, video.Id, words: 5);
        var standalone = Caption(random, words: 2);

        await _captions.InsertAsync([withVideo, standalone], CancellationToken.None);
        var loaded = (await _captions.LoadAsync([withVideo.Id, standalone.Id, Guid.NewGuid()], CancellationToken.None)).ToDictionary(c => c.Id);

        Assert.Equal(2, loaded.Count);
        Assert.Equal((video.Id, withVideo.Text), (loaded[withVideo.Id].VideoId, loaded[withVideo.Id].Text));
        Assert.Null(loaded[standalone.Id].VideoId);
        foreach (var expected in new[] { withVideo, standalone })
        {
            var actual = loaded[expected.Id];
            Features.AssertClose(expected.Sentence, actual.Sentence);
            Assert.Equal(expected.Words.Length, actual.Words.Length);
            for (var pos = 0; pos < expected.Words.Length; pos++)
            {
                Features.AssertClose(expected.Words[pos], actual.Words[pos]);
            }
        }
        Assert.Equal(2, await _captions.CountAsync(CancellationToken.None));
        Assert.Equal(new[] { withVideo.Id, standalone.Id }.Order(), await _captions.AllIdsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task InsertAsync_UnknownVideo_ThrowsAndWritesNothing()
    {
        var random = new Random(3);
        var before = await DatabaseCounts.RowCountsAsync(_fixture.DataSource, CancellationToken.None);

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            _captions.InsertAsync([Caption(random), Caption(random, videoId: Guid.NewGuid())], CancellationToken.None));

        Assert.Equal(before, await DatabaseCounts.RowCountsAsync(_fixture.DataSource, CancellationToken.None));
    }

    [Fact]
    public async Task InsertAsync_TokenAndWordCountsDiffer_ThrowsArgumentException()
    {
        var caption = Caption(new Random(4)) with { TokenIds = [1] };

        await Assert.ThrowsAsync<ArgumentException>(() => _captions.InsertAsync([caption], CancellationToken.None));
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(0)]
    public async Task RecallCaptionsAsync_CandidatesAboveDefaultEfSearch_ReturnsThatManyWithTheNearestFirst(int exactSearchThreshold)
    {
        var random = new Random(5);
        var gallery = Enumerable.Range(0, 120).Select(_ => Caption(random, words: 1)).ToList();
        var target = gallery[17] with { Sentence = Features.Axis(2) };
        gallery[17] = target;
        await _captions.InsertAsync(gallery, CancellationToken.None);

        var ids = await new FeatureRepository(_fixture.DataSource, exactSearchThreshold)
            .RecallCaptionsAsync(Features.Axis(2), candidates: 60, efSearch: 40, CancellationToken.None);

        Assert.Equal(60, ids.Distinct().Count());
        Assert.Equal(target.Id, ids[0]);
    }
}
