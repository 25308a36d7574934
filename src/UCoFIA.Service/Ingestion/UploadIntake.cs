using System.Text.Json;
using UCoFIA.Storage;

namespace UCoFIA.Service.Ingestion;

/// <summary>What became of an upload: a new job, or the video these bytes already are (or are becoming).</summary>
/// <param name="JobId">The job to poll; null when the video was stored before.</param>
public sealed record IntakeResult(Guid? JobId, Guid VideoId, bool Duplicate);

/// <summary>
/// Turns a streamed upload into an ingestion job: dedupe by content hash, probe (so a non-video is refused while the
/// client still waits), adopt the file into the upload folder, create the job, and wake a runner.
/// </summary>
public sealed class UploadIntake(VideoRepository videos, JobRepository jobs, VideoEncoder encoder, UploadStore store, IngestionJobRunner runner)
{
    /// <exception cref="Media.MediaException">The file is not a video ffprobe can use.</exception>
    /// <exception cref="Domain.UnusableInputException">The video is too long.</exception>
    public async Task<IntakeResult> AcceptAsync(UploadedVideo upload, CancellationToken cancellationToken)
    {
        if (await videos.FindBySha256Async(upload.Sha256, cancellationToken) is { } existing)
        {
            return new IntakeResult(null, existing.Id, Duplicate: true);
        }
        var probe = await encoder.ProbeAsync(upload.TempPath, cancellationToken);
        var jobId = Guid.CreateVersion7();
        var path = store.Adopt(upload, jobId);
        try
        {
            var (job, created) = await jobs.CreateOrGetActiveAsync(
                new NewIngestJob(jobId, Guid.CreateVersion7(), upload.Sha256, path, upload.Title, upload.Captions, upload.MetadataJson,
                    JsonSerializer.Serialize(probe), upload.CallbackUrl),
                cancellationToken);
            if (!created)
            {
                UploadStore.Remove(path);
                return new IntakeResult(job.Id, job.VideoId, Duplicate: true);
            }
            runner.Wake();
            return new IntakeResult(job.Id, job.VideoId, Duplicate: false);
        }
        catch
        {
            UploadStore.Remove(path);
            throw;
        }
    }
}
