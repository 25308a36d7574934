using System.Text.Json;

namespace UCoFIA.Storage.Tests;

/// <summary>
/// Listing, cancel, retry, the sweep of kept uploads and the callbacks an ending job queues (issue 17), with the
/// fencing that lets several instances share the job table.
/// </summary>
public sealed partial class JobRepositoryTests
{
    private static readonly TimeSpan Keep = TimeSpan.FromHours(1);

    private async Task<IngestJob> QueueAsync(string? sha256 = null, string? callbackUrl = null) =>
        await _jobs.CreateAsync(NewJob(sha256) with { CallbackUrl = callbackUrl }, CancellationToken.None);

    private Task<IngestJob?> ClaimAsync(TimeSpan? lease = null) => _jobs.ClaimNextAsync(Owner, lease ?? Lease, CancellationToken.None);

    [Fact]
    public async Task ListAsync_ByStateAndPage_NewestFirstWithTheTotal()
    {
        var jobs = new List<IngestJob>();
        for (var i = 0; i < 5; i++)
        {
            jobs.Add(await QueueAsync());
        }
        var failed = (await ClaimAsync())!;
        await _jobs.FailAsync(failed.Fence, "broken", null, CancellationToken.None);

        var (firstPage, total) = await _jobs.ListAsync(null, 1, 2, CancellationToken.None);
        var (lastPage, _) = await _jobs.ListAsync(null, 3, 2, CancellationToken.None);
        var (queued, queuedTotal) = await _jobs.ListAsync(JobState.Queued, 1, 10, CancellationToken.None);
        var (onlyFailed, _) = await _jobs.ListAsync(JobState.Failed, 1, 10, CancellationToken.None);

        Assert.Equal(5, total);
        Assert.Equal([jobs[4].Id, jobs[3].Id], firstPage.Select(j => j.Id));
        Assert.Equal([jobs[0].Id], lastPage.Select(j => j.Id));
        Assert.Equal(4, queuedTotal);
        Assert.Equal(jobs.Skip(1).Reverse().Select(j => j.Id), queued.Select(j => j.Id));
        Assert.Equal(failed.Id, Assert.Single(onlyFailed).Id);
    }

    [Fact]
    public async Task CancelAsync_QueuedJob_CancelsAtOnceAndIsNeverClaimed()
    {
        var job = await QueueAsync();

        var (outcome, canceled) = (await _jobs.CancelAsync(job.Id, Keep, CancellationToken.None))!.Value;

        Assert.Equal((CancelOutcome.Canceled, JobState.Canceled), (outcome, canceled.State));
        Assert.NotNull(canceled.UploadKeptUntil);
        Assert.Null(await ClaimAsync());
        Assert.Equal(CancelOutcome.AlreadyEnded, (await _jobs.CancelAsync(job.Id, Keep, CancellationToken.None))!.Value.Outcome);
        Assert.Null(await _jobs.CancelAsync(Guid.NewGuid(), Keep, CancellationToken.None));
    }

    [Fact]
    public async Task CancelAsync_RunningJob_IsMarkedAndItsStoreTransactionRefusesToCommit()
    {
        await QueueAsync();
        var claim = (await ClaimAsync())!;
        var videos = new VideoRepository(_fixture.DataSource);
        var record = Features.Record();

        var (outcome, marked) = (await _jobs.CancelAsync(claim.Id, Keep, CancellationToken.None))!.Value;

        Assert.Equal((CancelOutcome.Requested, JobState.Running, true), (outcome, marked.State, marked.CancelRequested));
        Assert.True(await _jobs.ReportProgressAsync(claim.Fence, 0.5f, CancellationToken.None));
        await Assert.ThrowsAsync<JobCanceledException>(() =>
            videos.InsertAsync(record, Features.Segments(Features.Video(new Random(1)), record.Id), CancellationToken.None, job: claim.Fence));
        Assert.Null(await videos.GetAsync(record.Id, CancellationToken.None));
        await _jobs.EndCanceledAsync(claim.Fence, Keep, CancellationToken.None);
        var ended = (await _jobs.GetAsync(claim.Id, CancellationToken.None))!;
        Assert.Equal((JobState.Canceled, false), (ended.State, ended.CancelRequested));
    }

    [Fact]
    public async Task CancelAsync_RunningJobWhoseOwnerDied_CancelsAtOnceAndFencesTheOwnerOff()
    {
        await QueueAsync();
        var stale = (await ClaimAsync(TimeSpan.Zero))!;

        var (outcome, canceled) = (await _jobs.CancelAsync(stale.Id, Keep, CancellationToken.None))!.Value;

        Assert.Equal((CancelOutcome.Canceled, stale.Epoch + 1), (outcome, canceled.Epoch));
        await Assert.ThrowsAsync<JobLeaseLostException>(() => _jobs.SucceedAsync(stale.Fence, CancellationToken.None));
        Assert.Equal(JobState.Canceled, (await _jobs.GetAsync(stale.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task RetryAsync_FailedJobWithItsUpload_QueuesItAgainUnderANewEpoch()
    {
        await QueueAsync();
        var first = (await ClaimAsync())!;
        await _jobs.FailAsync(first.Fence, "broken", Keep, CancellationToken.None);

        var (outcome, requeued) = (await _jobs.RetryAsync(first.Id, CancellationToken.None))!.Value;
        var second = (await ClaimAsync())!;

        Assert.Equal((RetryOutcome.Requeued, JobState.Queued, 0, (string?)null), (outcome, requeued.State, requeued.Attempts, requeued.Error));
        Assert.Equal((first.Id, 1), (second.Id, second.Attempts));
        Assert.True(second.Epoch > first.Epoch);
        // The first run's late writes cannot land on the second.
        await Assert.ThrowsAsync<JobLeaseLostException>(() => _jobs.FailAsync(first.Fence, "late", Keep, CancellationToken.None));
        Assert.Equal(RetryOutcome.NotEnded, (await _jobs.RetryAsync(first.Id, CancellationToken.None))!.Value.Outcome);
    }

    [Fact]
    public async Task TakeExpiredUploadsAsync_RetentionOver_HandsTheUploadOutOnceAndRetryFindsItGone()
    {
        await QueueAsync();
        var job = (await ClaimAsync())!;
        await _jobs.FailAsync(job.Fence, "broken", TimeSpan.Zero, CancellationToken.None);

        var swept = await _jobs.TakeExpiredUploadsAsync(CancellationToken.None);

        Assert.Equal([job.UploadPath], swept);
        Assert.Empty(await _jobs.TakeExpiredUploadsAsync(CancellationToken.None));
        Assert.Equal(RetryOutcome.UploadGone, (await _jobs.RetryAsync(job.Id, CancellationToken.None))!.Value.Outcome);
    }

    [Fact]
    public async Task RetryAsync_SameFileQueuedByAnotherJob_ReportsTheFileBusy()
    {
        await QueueAsync("same-file");
        var failed = (await ClaimAsync())!;
        await _jobs.FailAsync(failed.Fence, "broken", Keep, CancellationToken.None);
        await QueueAsync("same-file");

        Assert.Equal(RetryOutcome.FileBusy, (await _jobs.RetryAsync(failed.Id, CancellationToken.None))!.Value.Outcome);
    }

    [Fact]
    public async Task SucceedAsync_JobWithACallbackUrl_QueuesOneDeliveryDescribingTheEndedJob()
    {
        await QueueAsync(callbackUrl: "https://hooks.example.com/ucofia");
        await QueueAsync();
        var withCallback = (await ClaimAsync())!;
        var without = (await ClaimAsync())!;
        var callbacks = new CallbackRepository(_fixture.DataSource);

        await _jobs.SucceedAsync(withCallback.Fence, CancellationToken.None);
        await _jobs.FailAsync(without.Fence, "broken", Keep, CancellationToken.None);
        var delivery = (await callbacks.ClaimNextAsync("sender-a", Lease, CancellationToken.None))!;

        Assert.Equal((withCallback.Id, "https://hooks.example.com/ucofia", 1), (delivery.JobId, delivery.Url, delivery.Attempts));
        using var body = JsonDocument.Parse(delivery.Body);
        Assert.Equal(delivery.Id, body.RootElement.GetProperty("deliveryId").GetGuid());
        var job = body.RootElement.GetProperty("job");
        Assert.Equal((withCallback.Id, "succeeded", withCallback.VideoId),
            (job.GetProperty("id").GetGuid(), job.GetProperty("state").GetString(), job.GetProperty("videoId").GetGuid()));
        // Claimed: no other sender gets it while the lease holds.
        Assert.Null(await callbacks.ClaimNextAsync("sender-b", Lease, CancellationToken.None));
    }

    [Fact]
    public async Task AttemptFailedAsync_ThenAnExpiredLease_TheDeliveryIsClaimedAgainAndTheStaleClaimRecordsNothing()
    {
        await QueueAsync(callbackUrl: "https://hooks.example.com/ucofia");
        await _jobs.SucceedAsync((await ClaimAsync())!.Fence, CancellationToken.None);
        var callbacks = new CallbackRepository(_fixture.DataSource);
        var first = (await callbacks.ClaimNextAsync("sender-a", Lease, CancellationToken.None))!;

        await callbacks.AttemptFailedAsync(first, "the receiver answered 500", TimeSpan.Zero, CancellationToken.None);
        var stale = (await callbacks.ClaimNextAsync("sender-b", TimeSpan.Zero, CancellationToken.None))!;
        var takeover = (await callbacks.ClaimNextAsync("sender-c", TimeSpan.Zero, CancellationToken.None))!;
        await callbacks.DeliveredAsync(stale, CancellationToken.None);
        var again = await callbacks.ClaimNextAsync("sender-d", Lease, CancellationToken.None);

        Assert.Equal((first.Id, 2, 3), (stale.Id, stale.Attempts, takeover.Attempts));
        // The stale claim's "delivered" was refused: the delivery is still pending for the next sender.
        Assert.Equal((first.Id, 4), (again?.Id, again?.Attempts));
        await callbacks.DeliveredAsync(again!, CancellationToken.None);
        Assert.Null(await callbacks.ClaimNextAsync("sender-e", TimeSpan.Zero, CancellationToken.None));
    }
}
