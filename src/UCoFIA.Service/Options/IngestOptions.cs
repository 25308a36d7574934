using System.ComponentModel.DataAnnotations;

namespace UCoFIA.Service.Options;

/// <summary>Upload limits and the ingestion job runner (section "Ingest").</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>4 GiB: real footage, streamed to disk while it arrives, never held in memory.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>4 hours, the longest video a peer (Twelve Labs) takes.</summary>
    [Range(0.1, 86_400)]
    public double MaxDurationSeconds { get; set; } = 4 * 3600;

    /// <summary>A video longer than this is cut into overlapping segments of this length, each encoded with F frames.</summary>
    [Range(1, 3600)]
    public double SegmentSeconds { get; set; } = 16;

    /// <summary>A new segment starts every so many seconds (rounded to the sampling grid of SegmentSeconds / F).</summary>
    [Range(0.1, 3600)]
    public double SegmentStrideSeconds { get; set; } = 12;

    /// <summary>Segments encoded in one model call.</summary>
    [Range(1, 256)]
    public int SegmentBatch { get; set; } = 16;

    /// <summary>Jobs decoded at the same time; encoding itself is serialised on the model worker.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 2;

    /// <summary>Frame thumbnails are stored this wide (aspect kept), whatever the model's input size: what a browser shows.</summary>
    [Range(16, 1920)]
    public int ThumbnailWidth { get; set; } = 320;

    [Range(1, 3600)]
    public int DecodeTimeoutSeconds { get; set; } = 120;

    /// <summary>
    /// How long a claimed job stays this instance's without a renewal (renewed every third of it). When an instance
    /// dies, another takes its jobs over this long after its last renewal.
    /// </summary>
    [Range(1, 3600)]
    public int JobLeaseSeconds { get; set; } = 30;

    /// <summary>A job that failed this many times (crashes included) is not retried again.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    [Range(1, 1000)]
    public int MaxCaptionsPerRequest { get; set; } = 100;

    /// <summary>
    /// How long a failed or canceled job keeps its upload, so that POST /api/jobs/{id}/retry can run it again; then
    /// the upload is swept. 0 removes it at once (no retry).
    /// </summary>
    [Range(0, 30 * 86_400)]
    public int FailedUploadRetentionSeconds { get; set; } = 86_400;

    /// <summary>The retention as the job table takes it: null when uploads are removed at once.</summary>
    public TimeSpan? FailedUploadRetention => FailedUploadRetentionSeconds > 0 ? TimeSpan.FromSeconds(FailedUploadRetentionSeconds) : null;
}
