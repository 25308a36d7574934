namespace UCoFIA.Storage.Tests;

/// <summary>Each test gets its own database: claims and takeovers act on every job in the table.</summary>
public sealed partial class JobRepositoryTests : IAsyncLifetime
{
    private readonly StorageFixture _fixture = new();
    private JobRepository _jobs = null!;

    public async Task InitializeAsync()
    {
        await _fixture.InitializeAsync();
        _jobs = new JobRepository(_fixture.DataSource);
    }

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private const string Owner = "instance-a";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static NewIngestJob NewJob(string? sha256 = null) => new(
        Guid.NewGuid(), Guid.NewGuid(), sha256 ?? Guid.NewGuid().ToString("N"), "/uploads/clip.mp4", "a title", ["a dog runs", "a cat sleeps"], """{"k": 1}""");

    [Fact]
    public async Task CreateOrGetActiveAsync_NewFile_QueuesJob()
    {
        var job = NewJob();

        var (created, isNew) = await _jobs.CreateOrGetActiveAsync(job, CancellationToken.None);
        var stored = await _jobs.GetAsync(job.Id, CancellationToken.None);

        Assert.True(isNew);
        Assert.NotNull(stored);
        // Records compare arrays by reference, so compare the job with the returned captions swapped in.
        Assert.Equal(created, stored with { Captions = created.Captions });
        Assert.Equal((JobState.Queued, 0f, 0, "/uploads/clip.mp4", "a title"), (stored.State, stored.Progress, stored.Attempts, stored.UploadPath, stored.Title));
        Assert.Equal(job.Captions, stored.Captions);
        Assert.Equal(job.VideoId, stored.VideoId);
    }

    [Fact]
    public async Task CreateOrGetActiveAsync_SameSha256WhileActive_ReturnsTheActiveJob()
    {
        var first = await _jobs.CreateAsync(NewJob("same"), CancellationToken.None);

        var (second, created) = await _jobs.CreateOrGetActiveAsync(NewJob("same"), CancellationToken.None);

        Assert.False(created);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Id, (await _jobs.FindActiveBySha256Async("same", CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task CreateOrGetActiveAsync_SameSha256AfterFailure_QueuesANewJob()
    {
        var first = await _jobs.CreateAsync(NewJob("retry"), CancellationToken.None);
        await _jobs.FailAsync(first.Fence, "decoder error", null, CancellationToken.None);

        var (second, created) = await _jobs.CreateOrGetActiveAsync(NewJob("retry"), CancellationToken.None);

        Assert.True(created);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task CreateOrGetActiveAsync_ConcurrentUploadsOfOneFile_CreateOneJob()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _jobs.CreateOrGetActiveAsync(NewJob("burst"), CancellationToken.None)));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Job.Id).Distinct());
    }

    [Fact]
    public async Task ClaimNextAsync_OldestQueued_MarksRunningAndCountsAttempt()
    {
        var oldest = await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        await _jobs.CreateAsync(NewJob(), CancellationToken.None);

        var claimed = await _jobs.ClaimNextAsync(Owner, Lease, CancellationToken.None);

        Assert.Equal(oldest.Id, claimed?.Id);
        Assert.Equal((JobState.Running, 1), (claimed!.State, claimed.Attempts));
    }

    [Fact]
    public async Task ClaimNextAsync_EmptyQueue_ReturnsNull()
    {
        Assert.Null(await _jobs.ClaimNextAsync(Owner, Lease, CancellationToken.None));
    }

    [Fact]
    public async Task ClaimNextAsync_OldestRowLockedByAnotherWorker_SkipsToTheNextJob()
    {
        var oldest = await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        var next = await _jobs.CreateAsync(NewJob(), CancellationToken.None);

        // Another worker is in the middle of claiming the oldest job: its row is locked.
        await using var connection = await _fixture.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockRow = new Npgsql.NpgsqlCommand("SELECT 1 FROM ingest_jobs WHERE id = @id FOR UPDATE", connection, transaction))
        {
            lockRow.Parameters.AddWithValue("id", oldest.Id);
            await lockRow.ExecuteNonQueryAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var claimed = await _jobs.ClaimNextAsync(Owner, Lease, timeout.Token);

        Assert.Equal(next.Id, claimed?.Id);
    }

    [Fact]
    public async Task ClaimNextAsync_ConcurrentWorkers_ClaimDifferentJobs()
    {
        for (var i = 0; i < 6; i++)
        {
            await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _jobs.ClaimNextAsync(Owner, Lease, CancellationToken.None)));

        var claimed = claims.OfType<IngestJob>().ToList();
        Assert.Equal(6, claimed.Count);
        Assert.Equal(6, claimed.Select(j => j.Id).Distinct().Count());
    }

    [Fact]
    public async Task ClaimNextAsync_LiveLease_IsNotTakenOver()
    {
        await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        await _jobs.ClaimNextAsync(Owner, Lease, CancellationToken.None);

        Assert.Null(await _jobs.ClaimNextAsync("instance-b", Lease, CancellationToken.None));
    }

    [Fact]
    public async Task ClaimNextAsync_ExpiredLease_TakesOverWithANewEpochAndFencesTheOldOwnerOff()
    {
        var job = await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        var stale = await _jobs.ClaimNextAsync(Owner, TimeSpan.Zero, CancellationToken.None);

        var taken = await _jobs.ClaimNextAsync("instance-b", Lease, CancellationToken.None);

        Assert.Equal(job.Id, taken?.Id);
        Assert.Equal((2, stale!.Epoch + 1), (taken!.Attempts, taken.Epoch));
        Assert.False(await _jobs.RenewLeaseAsync(stale.Fence, Lease, CancellationToken.None));
        await Assert.ThrowsAsync<JobLeaseLostException>(() => _jobs.ReportProgressAsync(stale.Fence, 0.5f, CancellationToken.None));
        await Assert.ThrowsAsync<JobLeaseLostException>(() => _jobs.SucceedAsync(stale.Fence, CancellationToken.None));
        await Assert.ThrowsAsync<JobLeaseLostException>(() => _jobs.FailAsync(stale.Fence, "late", null, CancellationToken.None));
        Assert.True(await _jobs.RenewLeaseAsync(taken.Fence, Lease, CancellationToken.None));
        await _jobs.SucceedAsync(taken.Fence, CancellationToken.None);
        Assert.Equal(JobState.Succeeded, (await _jobs.GetAsync(job.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task InsertAsync_ForAJobTakenOverMeanwhile_WritesNothing()
    {
        await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        var stale = await _jobs.ClaimNextAsync(Owner, TimeSpan.Zero, CancellationToken.None);
        var taken = await _jobs.ClaimNextAsync("instance-b", Lease, CancellationToken.None);
        var videos = new VideoRepository(_fixture.DataSource);
        var late = Features.Record();
        var current = Features.Record();

        await Assert.ThrowsAsync<JobLeaseLostException>(() => videos.InsertAsync(late, Features.Segments(Features.Video(new Random(1)), late.Id),
            CancellationToken.None, job: stale!.Fence));
        Assert.True(await videos.InsertAsync(current, Features.Segments(Features.Video(new Random(2)), current.Id), CancellationToken.None, job: taken!.Fence));

        Assert.Null(await videos.GetAsync(late.Id, CancellationToken.None));
        Assert.NotNull(await videos.GetAsync(current.Id, CancellationToken.None));
    }

    [Fact]
    public async Task ReleaseAsync_AtShutdown_QueuesTheJobForAnyInstanceAtOnce()
    {
        var job = await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        var claim = await _jobs.ClaimNextAsync(Owner, Lease, CancellationToken.None);

        await _jobs.ReleaseAsync(claim!.Fence, CancellationToken.None);
        var next = await _jobs.ClaimNextAsync("instance-b", Lease, CancellationToken.None);

        Assert.Equal(job.Id, next?.Id);
        Assert.Equal(claim.Epoch + 1, next!.Epoch);
    }

    [Fact]
    public async Task ReportProgressAsync_ThenSucceedAndFail_RecordsStateProgressAndError()
    {
        var succeeded = await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        var failed = await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        var first = await _jobs.ClaimNextAsync(Owner, Lease, CancellationToken.None);
        var second = await _jobs.ClaimNextAsync(Owner, Lease, CancellationToken.None);

        await _jobs.ReportProgressAsync(first!.Fence, 0.5f, CancellationToken.None);
        var halfway = await _jobs.GetAsync(succeeded.Id, CancellationToken.None);
        await _jobs.SucceedAsync(first.Fence, CancellationToken.None);
        await _jobs.FailAsync(second!.Fence, "ffmpeg exited with code 1", null, CancellationToken.None);

        Assert.Equal(0.5f, halfway!.Progress);
        Assert.True(halfway.UpdatedAt >= halfway.CreatedAt);
        var done = await _jobs.GetAsync(succeeded.Id, CancellationToken.None);
        Assert.Equal((JobState.Succeeded, 1f), (done!.State, done.Progress));
        var broken = await _jobs.GetAsync(failed.Id, CancellationToken.None);
        Assert.Equal((JobState.Failed, "ffmpeg exited with code 1"), (broken!.State, broken.Error));
        Assert.Null(await _jobs.FindActiveBySha256Async(failed.Sha256, CancellationToken.None));
    }
}
