using System.Text.Json;
using Microsoft.Extensions.Options;
using UCoFIA.Media;
using UCoFIA.Service.Domain;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Options;
using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Ingestion;

/// <summary>
/// Runs ingestion jobs from the jobs table with bounded concurrency, next to any number of other instances on the
/// same database. A claimed job is leased and the lease renewed while it runs; a job whose owner died is taken over
/// by whichever instance finds its lease expired, and the dead owner's claim is fenced off by the job's epoch. A
/// video becomes searchable only when the transaction that writes its row and every feature row commits, and that
/// transaction commits only while the claim holds.
/// </summary>
public sealed class IngestionJobRunner(
    JobRepository jobs,
    VideoRepository videos,
    VideoEncoder encoder,
    CaptionGallery captions,
    CaptionRepository captionRows,
    SinkhornBias sinkhorn,
    CaptionSinkhornBias captionSinkhorn,
    ModelWorker worker,
    OriginalStore originals,
    IOptions<IngestOptions> options,
    ILogger<IngestionJobRunner> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    /// <summary>This instance, as the jobs table names the owner of a lease.</summary>
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.JobLeaseSeconds);

    /// <summary>Tells idle runners that a job was queued, so they do not wait for the next poll.</summary>
    public void Wake() => _wake.Release(options.Value.Concurrency);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await worker.Model.WaitAsync(stoppingToken);
        await Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency).Select(_ => RunLoopAsync(stoppingToken)));
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var job = await jobs.ClaimNextAsync(_owner, Lease, stoppingToken);
                if (job is null)
                {
                    await _wake.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken);
                    continue;
                }
                if (job.Attempts > 1)
                {
                    logger.LogWarning("Resuming ingestion job {JobId} (attempt {Attempt}) that another run left unfinished", job.Id, job.Attempts);
                }
                await ProcessLeasedAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                logger.LogError(e, "The ingestion loop failed; retrying shortly");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Holds the job's lease while it runs: renews it every third of its length and stops the work when the claim
    /// is found gone. A job cut off by shutdown goes back to the queue for any instance; if even that fails (the
    /// process dies), its lease runs out and another instance takes it over.
    /// </summary>
    private async Task ProcessLeasedAsync(IngestJob job, CancellationToken stoppingToken)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var finished = new CancellationTokenSource();
        var renewal = RenewUntilAsync(job.Fence, lost, finished.Token);
        try
        {
            await ProcessWithRetryAsync(job, lost.Token);
        }
        catch (Exception e) when (e is JobLeaseLostException || (e is OperationCanceledException && lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested))
        {
            logger.LogWarning("Ingestion job {JobId} was taken over by another instance; the work done here is discarded", job.Id);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await HandBackAsync(job.Fence);
        }
        finally
        {
            await finished.CancelAsync();
            await renewal;
        }
    }

    /// <summary>Returns a job cut off by shutdown to the queue; when that fails, its lease runs out instead.</summary>
    private async Task HandBackAsync(JobFence fence)
    {
        try
        {
            using var briefly = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await jobs.ReleaseAsync(fence, briefly.Token);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not hand ingestion job {JobId} back at shutdown; it is taken over when its lease runs out: {Message}", fence.JobId, e.Message);
        }
    }

    /// <summary>Renews the lease until <paramref name="finished"/>; cancels <paramref name="lost"/> when the claim is gone.</summary>
    private async Task RenewUntilAsync(JobFence fence, CancellationTokenSource lost, CancellationToken finished)
    {
        while (!finished.IsCancellationRequested)
        {
            await Task.Delay(Lease / 3, finished).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (finished.IsCancellationRequested)
            {
                return;
            }
            try
            {
                if (!await jobs.RenewLeaseAsync(fence, Lease, finished))
                {
                    await lost.CancelAsync();
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database is away: keep trying; if the lease runs out meanwhile, the epoch fences this claim off.
                logger.LogWarning("Could not renew the lease of ingestion job {JobId}: {Message}", fence.JobId, e.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Runs a claimed job to a final state. A database outage in the middle keeps the claim and retries the job
    /// once the database answers again (storing is one transaction and skipped when the video row exists), so an
    /// outage never leaves a job 'running' until the next restart; any other unexpected error fails the job.
    /// </summary>
    private async Task ProcessWithRetryAsync(IngestJob job, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await ProcessAsync(job, stoppingToken);
                return;
            }
            catch (Exception e) when (DatabaseFailures.IsTransient(e) && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Database unavailable during ingestion job {JobId}; retrying: {Message}", job.Id, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
            catch (Exception e) when (e is not (OperationCanceledException or JobLeaseLostException) || (e is OperationCanceledException && !stoppingToken.IsCancellationRequested))
            {
                logger.LogError(e, "Ingestion job {JobId} failed unexpectedly", job.Id);
                await RetryAsync(async () =>
                {
                    await FinishFailedAsync(job, "The video could not be ingested because of an internal error.", stoppingToken);
                    return 0;
                }, stoppingToken);
                return;
            }
        }
    }

    private async Task ProcessAsync(IngestJob job, CancellationToken stoppingToken)
    {
        using var activity = ServiceTelemetry.Source.StartActivity("ingest");
        activity?.SetTag("ucofia.job_id", job.Id);
        if (job.Attempts > options.Value.MaxAttempts)
        {
            await FinishFailedAsync(job, $"Gave up after {job.Attempts - 1} attempts.", stoppingToken);
            return;
        }
        try
        {
            var video = await videos.GetAsync(job.VideoId, stoppingToken) ?? await StoreAsync(job, stoppingToken);
            // Captions commit separately from the video, so a job resumed after a failure in between still adds them.
            if (job.Captions.Length > 0 && !await captionRows.AnyForVideoAsync(job.VideoId, stoppingToken))
            {
                await captions.AddAsync(job.Captions, job.VideoId, stoppingToken);
            }
            // The upload becomes the kept original or goes, before 'succeeded', so that nothing is left in the upload
            // folder; a crash in between finds the video stored and only settles the file and marks the job.
            originals.Settle(job.UploadPath, job.VideoId, video.OriginalBytes is not null);
            await jobs.SucceedAsync(job.Fence, stoppingToken);
            ServiceTelemetry.RecordJob("succeeded");
            logger.LogInformation("Ingested video {VideoId} (job {JobId})", job.VideoId, job.Id);
            sinkhorn.RequestRebalance();
            // The caption fit's bank is drawn from the videos, so a growing gallery may make it due too.
            captionSinkhorn.RequestRebalance();
        }
        catch (JobCanceledException)
        {
            await FinishCanceledAsync(job, stoppingToken);
        }
        catch (Exception e) when (e is MediaException or DomainException or FileNotFoundException)
        {
            await FinishFailedAsync(job, e is FileNotFoundException ? "The uploaded file is gone." : e.Message, stoppingToken);
        }
    }

    /// <summary>
    /// Reports progress between stages and stops the job there when a cancel was requested. Only stages before the
    /// store transaction are checkpoints: once the video is committed the job finishes, whatever comes after.
    /// </summary>
    /// <exception cref="JobCanceledException">A cancel was requested.</exception>
    private async Task CheckpointAsync(IngestJob job, double progress, CancellationToken stoppingToken)
    {
        if (await jobs.ReportProgressAsync(job.Fence, (float)progress, stoppingToken))
        {
            throw new JobCanceledException(job.Fence);
        }
    }

    private async Task<VideoRecord> StoreAsync(IngestJob job, CancellationToken stoppingToken)
    {
        if (!File.Exists(job.UploadPath))
        {
            throw new FileNotFoundException("upload missing", job.UploadPath);
        }
        // The upload probed the file already; jobs queued before that was recorded probe again.
        var probe = job.ProbeJson is { } json
            ? JsonSerializer.Deserialize<VideoProbe>(json) ?? throw new InvalidDataException("empty probe")
            : await encoder.ProbeAsync(job.UploadPath, stoppingToken);
        await CheckpointAsync(job, 0.1, stoppingToken);
        // Encoding is the long part of a long video's job: its progress runs from 0.1 to 0.7 with the segments.
        var encoded = await encoder.EncodeAsync(job.UploadPath, probe, stoppingToken,
            done => CheckpointAsync(job, 0.1 + 0.6 * done, stoppingToken));
        await CheckpointAsync(job, 0.7, stoppingToken);
        var bytes = new FileInfo(job.UploadPath).Length;
        var record = new VideoRecord(job.VideoId, job.Sha256, job.Title, probe.DurationSeconds, probe.FramesPerSecond,
            encoded.SampleCount, DateTimeOffset.UtcNow, job.MetadataJson, probe.Container, probe.Codec, originals.WillKeep(bytes) ? bytes : null);
        // Segment ids are fixed before the writes, so a retry writes the same rows.
        var ids = encoded.NewSegmentIds();
        await sinkhorn.WriteAsync(encoded.SegmentFeatures, async biases =>
        {
            using var store = ServiceTelemetry.Stage("store");
            return await videos.InsertAsync(record, encoded.ToInserts(ids, biases), stoppingToken, encoded.Thumbnails, job.Fence);
        }, stoppingToken);
        // Not a checkpoint: the video is stored, so a cancel that arrives now is too late and the job finishes.
        await jobs.ReportProgressAsync(job.Fence, 0.9f, stoppingToken);
        return record;
    }

    /// <summary>Fails the job; its upload stays for a retry for Ingest:FailedUploadRetentionSeconds, then it is swept.</summary>
    private Task FinishFailedAsync(IngestJob job, string reason, CancellationToken stoppingToken)
    {
        logger.LogWarning("Ingestion job {JobId} failed: {Reason}", job.Id, reason);
        return EndUnstoredAsync(job, "failed", keep => jobs.FailAsync(job.Fence, reason, keep, stoppingToken));
    }

    /// <summary>Ends a job whose cancel was requested, before anything of it was stored; its upload is kept like a failed job's.</summary>
    private Task FinishCanceledAsync(IngestJob job, CancellationToken stoppingToken)
    {
        logger.LogInformation("Ingestion job {JobId} stopped: canceled on request", job.Id);
        return EndUnstoredAsync(job, "canceled", keep => jobs.EndCanceledAsync(job.Fence, keep, stoppingToken));
    }

    /// <param name="end">Writes the final state, given how long the upload is kept (null: not kept).</param>
    private async Task EndUnstoredAsync(IngestJob job, string state, Func<TimeSpan?, Task> end)
    {
        var keep = options.Value.FailedUploadRetention;
        // Fenced first: a stale owner must not delete an upload that the job's new owner is reading.
        await end(keep);
        if (keep is null)
        {
            UploadStore.Remove(job.UploadPath);
        }
        ServiceTelemetry.RecordJob(state);
    }

    private async Task<T> RetryAsync<T>(Func<Task<T>> action, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception e) when (DatabaseFailures.IsTransient(e) && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Database unavailable; retrying: {Message}", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }
}
