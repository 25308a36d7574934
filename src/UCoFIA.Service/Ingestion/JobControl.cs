using Microsoft.Extensions.Options;
using UCoFIA.Service.Domain;
using UCoFIA.Service.Options;
using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Ingestion;

/// <summary>
/// Cancels and retries ingestion jobs on request. Each transition is one fenced update of the job table, so it holds
/// against the runners of every instance: a canceled job's owner stops at its next stage and stores nothing, and a
/// retried job runs under a new epoch.
/// </summary>
public sealed class JobControl(JobRepository jobs, IngestionJobRunner runner, IOptions<IngestOptions> options)
{
    /// <returns>The job, and whether it has ended (false: it runs, and its owner stops at its next stage).</returns>
    /// <exception cref="NotFoundException">There is no such job.</exception>
    /// <exception cref="ConflictException">The job has already succeeded or failed.</exception>
    public async Task<(IngestJob Job, bool Ended)> CancelAsync(Guid id, CancellationToken ct)
    {
        var keep = options.Value.FailedUploadRetention;
        var (outcome, job) = await jobs.CancelAsync(id, keep, ct) ?? throw new NotFoundException("Job", id);
        switch (outcome)
        {
            case CancelOutcome.Canceled:
                if (keep is null)
                {
                    UploadStore.Remove(job.UploadPath);
                }
                ServiceTelemetry.RecordJob("canceled");
                return (job, true);
            case CancelOutcome.Requested:
                return (job, false);
            default:
                // Asking again for what already happened is not an error, so a client may repeat a lost request.
                return job.State == JobState.Canceled
                    ? (job, true)
                    : throw new ConflictException("job-ended", "The job has ended.",
                        $"Job {id} has already {Describe(job.State)}; only a queued or running job can be canceled.");
        }
    }

    /// <summary>Queues a failed or canceled job again with the upload it kept.</summary>
    /// <exception cref="NotFoundException">There is no such job.</exception>
    /// <exception cref="ConflictException">The job has not ended, has succeeded, or its file is ingested by another job or stored since.</exception>
    /// <exception cref="GoneException">The kept upload has been swept: the file must be uploaded again.</exception>
    public async Task<IngestJob> RetryAsync(Guid id, CancellationToken ct)
    {
        var kept = await jobs.GetAsync(id, ct) ?? throw new NotFoundException("Job", id);
        // The table may still count an upload whose file went missing; running the job again would only fail it.
        if (kept.UploadKeptUntil is not null && !File.Exists(kept.UploadPath))
        {
            throw UploadGone(id);
        }
        var (outcome, job) = await jobs.RetryAsync(id, ct) ?? throw new NotFoundException("Job", id);
        switch (outcome)
        {
            case RetryOutcome.Requeued:
                runner.Wake();
                return job;
            case RetryOutcome.UploadGone:
                throw UploadGone(id);
            case RetryOutcome.NotEnded:
                throw new ConflictException("job-not-ended", "The job has not ended.",
                    $"Job {id} is {Describe(job.State)}; only a failed or canceled job can be retried.");
            case RetryOutcome.AlreadySucceeded:
                throw new ConflictException("job-succeeded", "The job has succeeded.", $"Job {id} has succeeded; its video is {job.VideoId}.");
            case RetryOutcome.FileBusy:
                throw new ConflictException("file-busy", "The file is being ingested.",
                    $"Another job is ingesting the same file as job {id} now; follow that one (GET the job list with state=running or queued).");
            default:
                throw new ConflictException("already-stored", "The file is already stored.",
                    $"The file of job {id} has been stored since as another video; there is nothing to retry.");
        }
    }

    private GoneException UploadGone(Guid id) => new("upload-gone", "The upload is gone.",
        $"Job {id} no longer has its upload: a failed or canceled job keeps it for {options.Value.FailedUploadRetentionSeconds} s "
        + "(Ingest:FailedUploadRetentionSeconds). Upload the file again.");

    private static string Describe(JobState state) => state.ToString().ToLowerInvariant();
}
