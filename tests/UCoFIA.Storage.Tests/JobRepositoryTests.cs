namespace UCoFIA.Storage.Tests;

/// <summary>Each test gets its own database: claims and requeues act on every job in the table.</summary>
public sealed class JobRepositoryTests : IAsyncLifetime
{
    private readonly StorageFixture _fixture = new();
    private JobRepository _jobs = null!;

    public async Task InitializeAsync()
    {
        await _fixture.InitializeAsync();
        _jobs = new JobRepository(_fixture.DataSource);
    }

    public Task DisposeAsync() => _fixture.DisposeAsync();

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
        await _jobs.FailAsync(first.Id, "decoder error", CancellationToken.None);

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

        var claimed = await _jobs.ClaimNextAsync(CancellationToken.None);

        Assert.Equal(oldest.Id, claimed?.Id);
        Assert.Equal((JobState.Running, 1), (claimed!.State, claimed.Attempts));
    }

    [Fact]
    public async Task ClaimNextAsync_EmptyQueue_ReturnsNull()
    {
        Assert.Null(await _jobs.ClaimNextAsync(CancellationToken.None));
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
        var claimed = await _jobs.ClaimNextAsync(timeout.Token);

        Assert.Equal(next.Id, claimed?.Id);
    }

    [Fact]
    public async Task ClaimNextAsync_ConcurrentWorkers_ClaimDifferentJobs()
    {
        for (var i = 0; i < 6; i++)
        {
            await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _jobs.ClaimNextAsync(CancellationToken.None)));

        var claimed = claims.OfType<IngestJob>().ToList();
        Assert.Equal(6, claimed.Count);
        Assert.Equal(6, claimed.Select(j => j.Id).Distinct().Count());
    }

    [Fact]
    public async Task RequeueRunningAsync_AfterCrash_PutsRunningJobsBackInTheQueue()
    {
        await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        var done = await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        var running = await _jobs.ClaimNextAsync(CancellationToken.None);
        await _jobs.ClaimNextAsync(CancellationToken.None);
        await _jobs.SucceedAsync(done.Id, CancellationToken.None);

        var requeued = await _jobs.RequeueRunningAsync(CancellationToken.None);
        var counts = await _jobs.CountByStateAsync(CancellationToken.None);
        var reclaimed = await _jobs.ClaimNextAsync(CancellationToken.None);

        Assert.Equal(1, requeued);
        Assert.Equal(2, counts[JobState.Queued]);
        Assert.Equal(0, counts[JobState.Running]);
        Assert.Equal(1, counts[JobState.Succeeded]);
        Assert.Equal(0, counts[JobState.Failed]);
        Assert.Equal(running!.Id, reclaimed?.Id);
        Assert.Equal(2, reclaimed!.Attempts);
    }

    [Fact]
    public async Task ReportProgressAsync_ThenSucceedAndFail_RecordsStateProgressAndError()
    {
        var succeeded = await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        var failed = await _jobs.CreateAsync(NewJob(), CancellationToken.None);
        await _jobs.ClaimNextAsync(CancellationToken.None);
        await _jobs.ClaimNextAsync(CancellationToken.None);

        await _jobs.ReportProgressAsync(succeeded.Id, 0.5f, CancellationToken.None);
        var halfway = await _jobs.GetAsync(succeeded.Id, CancellationToken.None);
        await _jobs.SucceedAsync(succeeded.Id, CancellationToken.None);
        await _jobs.FailAsync(failed.Id, "ffmpeg exited with code 1", CancellationToken.None);

        Assert.Equal(0.5f, halfway!.Progress);
        Assert.True(halfway.UpdatedAt >= halfway.CreatedAt);
        var done = await _jobs.GetAsync(succeeded.Id, CancellationToken.None);
        Assert.Equal((JobState.Succeeded, 1f), (done!.State, done.Progress));
        var broken = await _jobs.GetAsync(failed.Id, CancellationToken.None);
        Assert.Equal((JobState.Failed, "ffmpeg exited with code 1"), (broken!.State, broken.Error));
        Assert.Null(await _jobs.FindActiveBySha256Async(failed.Sha256, CancellationToken.None));
    }
}
