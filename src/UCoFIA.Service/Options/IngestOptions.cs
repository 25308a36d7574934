using System.ComponentModel.DataAnnotations;

namespace UCoFIA.Service.Options;

/// <summary>Upload limits and the ingestion job runner (section "Ingest").</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 512L * 1024 * 1024;

    [Range(0.1, 86_400)]
    public double MaxDurationSeconds { get; set; } = 30 * 60;

    /// <summary>Jobs decoded at the same time; encoding itself is serialised on the model worker.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 2;

    [Range(1, 3600)]
    public int DecodeTimeoutSeconds { get; set; } = 120;

    /// <summary>A job that failed this many times (crashes included) is not retried again.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    [Range(1, 1000)]
    public int MaxCaptionsPerRequest { get; set; } = 100;
}
