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
/// Runs ingestion jobs from the jobs table with bounded concurrency. Jobs live in Postgres, so after a crash the
/// ones left running are queued again at start-up; a video becomes searchable only when the transaction that
/// writes its row and every feature row commits.
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

    /// <summary>Tells idle runners that a job was queued, so they do not wait for the next poll.</summary>
    public void Wake() => _wake.Release(options.Value.Concurrency);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await worker.Model.WaitAsync(stoppingToken);
        var requeued = await RetryAsync(() => jobs.RequeueRunningAsync(stoppingToken), stoppingToken);
        if (requeued > 0)
        {
            logger.LogWarning("Re-queued {Count} ingestion jobs that were running when the service stopped", requeued);
        }
        await Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency).Select(_ => RunLoopAsync(stoppingToken)));
    }

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var job = await jobs.ClaimNextAsync(stoppingToken);
                if (job is null)
                {
                    await _wake.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken);
                    continue;
                }
                await ProcessWithRetryAsync(job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // A job cut off by shutdown stays 'running' and is re-queued at the next start.
            }
            catch (Exception e)
            {
                logger.LogError(e, "The ingestion loop failed; retrying shortly");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
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
            await jobs.SucceedAsync(job.Id, stoppingToken);
            ServiceTelemetry.RecordJob("succeeded");
            logger.LogInformation("Ingested video {VideoId} (job {JobId})", job.VideoId, job.Id);
            sinkhorn.RequestRebalance();
            // The caption fit's bank is drawn from the videos, so a growing gallery may make it due too.
            captionSinkhorn.RequestRebalance();
        }
        catch (Exception e) when (e is MediaException or DomainException or FileNotFoundException)
        {
            await FinishFailedAsync(job, e is FileNotFoundException ? "The uploaded file is gone." : e.Message, stoppingToken);
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
        await jobs.ReportProgressAsync(job.Id, 0.1f, stoppingToken);
        // Encoding is the long part of a long video's job: its progress runs from 0.1 to 0.7 with the segments.
        var encoded = await encoder.EncodeAsync(job.UploadPath, probe, stoppingToken,
            done => jobs.ReportProgressAsync(job.Id, (float)(0.1 + 0.6 * done), stoppingToken));
        await jobs.ReportProgressAsync(job.Id, 0.7f, stoppingToken);
        var thumbnails = FrameThumbnails.Encode(encoded);
        var bytes = new FileInfo(job.UploadPath).Length;
        var record = new VideoRecord(job.VideoId, job.Sha256, job.Title, probe.DurationSeconds, probe.FramesPerSecond,
            encoded.SampleCount, DateTimeOffset.UtcNow, job.MetadataJson, probe.Container, probe.Codec, originals.WillKeep(bytes) ? bytes : null);
        // Segment ids are fixed before the writes, so a retry writes the same rows.
        var ids = encoded.NewSegmentIds();
        await sinkhorn.WriteAsync(encoded.SegmentFeatures, async biases =>
        {
            using var store = ServiceTelemetry.Stage("store");
            return await videos.InsertAsync(record, encoded.ToInserts(ids, biases), stoppingToken, thumbnails);
        }, stoppingToken);
        await jobs.ReportProgressAsync(job.Id, 0.9f, stoppingToken);
        return record;
    }

    private async Task FinishFailedAsync(IngestJob job, string reason, CancellationToken stoppingToken)
    {
        logger.LogWarning("Ingestion job {JobId} failed: {Reason}", job.Id, reason);
        UploadStore.Remove(job.UploadPath);
        await jobs.FailAsync(job.Id, reason, stoppingToken);
        ServiceTelemetry.RecordJob("failed");
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
