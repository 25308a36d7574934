using Npgsql;
using UCoFIA.Tests.Shared;

namespace UCoFIA.Storage.Tests;

/// <summary>A migrated database, a streaming standby of it, and search reads that may go to the standby.</summary>
public sealed class StandbyFixture : IAsyncLifetime
{
    private readonly StorageFixture _primary = new();

    public NpgsqlDataSource Primary => _primary.DataSource;

    public TestStandby Standby { get; private set; } = null!;

    public SearchConnections Connections { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _primary.InitializeAsync();
        Standby = await TestStandby.StartAsync();
        var database = new NpgsqlConnectionStringBuilder(_primary.ConnectionString).Database!;
        Connections = new SearchConnections(Primary, DataSourceFactory.CreateStandbys(Standby.ConnectionString(database), _primary.ConnectionString));
        await Standby.CatchUpAsync();
    }

    /// <summary>Whether the standby's copy has the video: what a read that went there would find.</summary>
    public async Task<bool> StandbyHasAsync(Guid video)
    {
        var database = new NpgsqlConnectionStringBuilder(_primary.ConnectionString).Database!;
        await using var standby = DataSourceFactory.Create(Standby.ConnectionString(database));
        await using var command = standby.CreateCommand("SELECT EXISTS (SELECT 1 FROM videos WHERE id = $1)");
        command.Parameters.AddWithValue(video);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        await Connections.DisposeAsync();
        await Standby.DisposeAsync();
        await _primary.DisposeAsync();
    }
}

public sealed class SearchConnectionsTests(StandbyFixture fixture) : IClassFixture<StandbyFixture>
{
    private readonly VideoRepository _videos = new(fixture.Primary);
    private readonly FeatureRepository _search = new(fixture.Connections);

    [Fact]
    public async Task LoadSegmentsAsync_StandbyBehindASucceededJob_ReadsTheVideoOnThePrimary()
    {
        var jobs = new JobRepository(fixture.Primary);
        await fixture.Standby.WhileReplayPausedAsync(async () =>
        {
            var (video, segment) = await InsertVideoAsync();
            await jobs.CreateAsync(new NewIngestJob(Guid.NewGuid(), video, Guid.NewGuid().ToString("N"), "/uploads/a.mp4", null, [], "{}"), CancellationToken.None);
            var claim = await jobs.ClaimNextAsync("instance-a", TimeSpan.FromMinutes(1), CancellationToken.None);
            await jobs.SucceedAsync(claim!.Fence, CancellationToken.None);

            var loaded = await _search.LoadSegmentsAsync([segment], CancellationToken.None);

            Assert.Equal(video, Assert.Single(loaded).VideoId);
            Assert.False(await fixture.StandbyHasAsync(video));
        });
    }

    [Fact]
    public Task LoadSegmentsAsync_StandbyBehindAVideoWhoseJobHasNotSucceeded_ReadsOnTheStandby() =>
        fixture.Standby.WhileReplayPausedAsync(async () =>
        {
            var (_, segment) = await InsertVideoAsync();

            // Nothing a client waits for was written since the standby paused, so the read went there.
            Assert.Empty(await _search.LoadSegmentsAsync([segment], CancellationToken.None));
        });

    [Fact]
    public async Task LoadSegmentsAsync_StandbyBehindADelete_DoesNotReturnTheDeletedVideo()
    {
        var (video, segment) = await InsertVideoAsync();
        await fixture.Standby.CatchUpAsync();
        await fixture.Standby.WhileReplayPausedAsync(async () =>
        {
            await _videos.DeleteAsync(video, CancellationToken.None);

            Assert.Empty(await _search.LoadSegmentsAsync([segment], CancellationToken.None));
            Assert.True(await fixture.StandbyHasAsync(video));
        });
    }

    [Fact]
    public async Task LoadSegmentsAsync_StandbyCaughtUp_FindsTheVideoThere()
    {
        var (video, segment) = await InsertVideoAsync();
        await fixture.Standby.CatchUpAsync();

        Assert.Equal(video, Assert.Single(await _search.LoadSegmentsAsync([segment], CancellationToken.None)).VideoId);
        Assert.True(await fixture.StandbyHasAsync(video));
    }

    private async Task<(Guid Video, Guid Segment)> InsertVideoAsync()
    {
        var video = Features.Record();
        var segments = Features.Segments(Features.Video(new Random(3)));
        Assert.True(await _videos.InsertAsync(video, segments, CancellationToken.None));
        return (video.Id, segments[0].Id);
    }
}

/// <summary>Its own standby, since the test stops it.</summary>
public sealed class StandbyStopTests(StandbyFixture fixture) : IClassFixture<StandbyFixture>
{
    [Fact]
    public async Task OpenAsync_StandbyStoppedWithConnectionsPooled_ReadsOnThePrimary()
    {
        await using (var warm = await fixture.Connections.OpenAsync(CancellationToken.None))
        {
            Assert.True(await InRecoveryAsync(warm));
        }
        await fixture.Standby.StopAsync();

        for (var read = 0; read < 3; read++)
        {
            await using var connection = await fixture.Connections.OpenAsync(CancellationToken.None);
            Assert.False(await InRecoveryAsync(connection));
        }
    }

    private static async Task<bool> InRecoveryAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
