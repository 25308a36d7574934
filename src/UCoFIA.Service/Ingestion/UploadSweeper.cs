using Microsoft.Extensions.Options;
using UCoFIA.Service.Options;
using UCoFIA.Storage;

namespace UCoFIA.Service.Ingestion;

/// <summary>
/// Removes the uploads that failed and canceled jobs kept for a retry once Ingest:FailedUploadRetentionSeconds is over.
/// The job table hands each expired upload to one instance, which deletes the file; from then on a retry answers that
/// the upload is gone.
/// </summary>
public sealed class UploadSweeper(JobRepository jobs, IOptions<IngestOptions> options, ILogger<UploadSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Often enough that an upload outlives its retention by at most a quarter of it (and a minute at most).
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(options.Value.FailedUploadRetentionSeconds / 4.0, 1, 60)));
        do
        {
            IReadOnlyList<string> expired;
            try
            {
                expired = await jobs.TakeExpiredUploadsAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Could not sweep kept uploads; trying again later: {Message}", e.Message);
                continue;
            }
            foreach (var path in expired)
            {
                Remove(path);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private void Remove(string path)
    {
        try
        {
            UploadStore.Remove(path);
            logger.LogInformation("Removed the kept upload {Path}: its retention is over", path);
        }
        catch (IOException e)
        {
            logger.LogWarning("Could not remove the kept upload {Path}: {Message}", path, e.Message);
        }
    }
}
