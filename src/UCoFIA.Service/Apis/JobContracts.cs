using System.ComponentModel;
using System.Text.Json.Serialization;
using UCoFIA.Storage;

namespace UCoFIA.Service.Apis;

/// <summary>Where an ingestion job is in its life, as the API and callbacks spell it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
public enum JobStatus
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("canceled")] Canceled,
}

public sealed record JobResponse(
    Guid Id,
    [property: Description("queued → running → succeeded | failed | canceled; a failed or canceled job may be retried (→ queued).")] JobStatus State,
    [property: Description("0..1")] float Progress,
    [property: Description("Why the job failed, readable by a person.")] string? Error,
    [property: Description("The id the video has once the job succeeds.")] Guid VideoId,
    [property: Description("How many times the job was claimed by a runner since it was queued (a crash and a takeover count).")] int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    [property: Description("A cancel was requested while the job ran: its runner stops at its next stage, unless the video is already stored.")]
    bool CancelRequested,
    [property: Description("A failed or canceled job keeps its upload until then for POST /api/jobs/{id}/retry; null when it has none.")]
    DateTimeOffset? UploadKeptUntil)
{
    public static JobResponse From(IngestJob job) => new(job.Id, StatusOf(job.State), job.Progress, job.Error, job.VideoId, job.Attempts,
        job.CreatedAt, job.UpdatedAt, job.CancelRequested, job.UploadKeptUntil);

    private static JobStatus StatusOf(JobState state) => state switch
    {
        JobState.Queued => JobStatus.Queued,
        JobState.Running => JobStatus.Running,
        JobState.Succeeded => JobStatus.Succeeded,
        JobState.Failed => JobStatus.Failed,
        JobState.Canceled => JobStatus.Canceled,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "A job state the API does not know."),
    };
}
