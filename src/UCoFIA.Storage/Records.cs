namespace UCoFIA.Storage;

/// <summary>
/// Everything the model produced for one video, L2-normalised, each vector of length D, as flat row-major arrays:
/// the layout the re-ranker stacks with one copy per video, and the rows COPY writes one slice at a time.
/// </summary>
/// <param name="Video">[D]</param>
/// <param name="Frames">[F, D]</param>
/// <param name="FrameTimes">[F] seconds from the start of the video.</param>
/// <param name="Patches">[F, K, D] the selected patches of each frame, best first.</param>
/// <param name="PatchIndices">[F, K] the position of each selected patch in its frame's patch grid.</param>
public sealed record VideoFeatureRows(float[] Video, float[] Frames, double[] FrameTimes, float[] Patches, int[] PatchIndices)
{
    public int Dim => Video.Length;

    public int FrameCount => FrameTimes.Length;

    /// <summary>K, the selected patches per frame.</summary>
    public int PatchesPerFrame => FrameCount == 0 ? 0 : PatchIndices.Length / FrameCount;

    /// <returns>[D]</returns>
    public ReadOnlySpan<float> Frame(int f) => Frames.AsSpan(f * Dim, Dim);

    /// <returns>[D]</returns>
    public ReadOnlySpan<float> Patch(int f, int k) => Patches.AsSpan((f * PatchesPerFrame + k) * Dim, Dim);

    public long SizeInBytes => sizeof(float) * ((long)Video.Length + Frames.Length + Patches.Length)
        + sizeof(double) * (long)FrameTimes.Length + sizeof(int) * (long)PatchIndices.Length;
}

/// <summary>
/// The online Sinkhorn–Knopp log bias of one gallery item per granularity, and the fit it was computed under:
/// every fit has its own offset, so only biases of the same fit rank against each other.
/// </summary>
public readonly record struct SkBias(float Video, float Frame, float Patch, long Fit)
{
    /// <summary>No bias: what a gallery without a query bank, or an item scored on its own, uses.</summary>
    public static SkBias None(long fit = 0) => new(0, 0, 0, fit);

    public float[] Levels => [Video, Frame, Patch];

    public static SkBias FromLevels(IReadOnlyList<float> levels, long fit) => new(levels[0], levels[1], levels[2], fit);
}

/// <summary>
/// One segment of a video as it is written: a window of the source, encoded on its own with the model's F frames.
/// A short video is one segment covering all of it.
/// </summary>
/// <param name="Start">Seconds into the source where the window begins.</param>
/// <param name="End">Seconds into the source where the window ends.</param>
/// <param name="FirstSample">The index, among the video's sampled pictures (and thumbnails), of the segment's first frame.</param>
public sealed record SegmentInsert(Guid Id, int Index, double Start, double End, int FirstSample, SkBias Bias, VideoFeatureRows Features);

/// <summary>A stored (or just encoded) segment as search consumes it: whose it is, where it lies, its bias and its features.</summary>
/// <param name="Id">The segment's id: what recall returns and what the Sinkhorn–Knopp bias is stored under.</param>
/// <param name="VideoId">The video it belongs to: what a hit is.</param>
/// <param name="FirstSample">The video-wide sample (thumbnail) index of its first frame.</param>
/// <param name="HasOriginal">Whether the video's original file was kept, so a hit can be played.</param>
public sealed record GallerySegment(
    Guid Id, Guid VideoId, string? Title, int Index, double Start, double End, int FirstSample, SkBias Bias, VideoFeatureRows Features,
    bool HasOriginal = false)
{
    public long SizeInBytes => Features.SizeInBytes + 128;
}

/// <param name="MetadataJson">A JSON document (jsonb column); "{}" when there is none.</param>
public sealed record VideoRecord(
    Guid Id,
    string Sha256,
    string? Title,
    double DurationSeconds,
    double Fps,
    int FrameCount,
    DateTimeOffset CreatedAt,
    string MetadataJson,
    string? Container = null,
    string? Codec = null,
    long? OriginalBytes = null);

/// <param name="Sentence">[D]</param>
/// <param name="TokenIds">[L]</param>
/// <param name="Words">[L][D], one per token.</param>
/// <param name="SkBias">Video → text Sinkhorn–Knopp bias of the caption and the fit it belongs to.</param>
public sealed record CaptionInsert(Guid Id, Guid? VideoId, string Text, float[] Sentence, int[] TokenIds, float[][] Words, SkBias SkBias);

/// <param name="Words">[L][D] in token order.</param>
public sealed record StoredCaptionFeatures(Guid Id, Guid? VideoId, string Text, float[] Sentence, float[][] Words, SkBias SkBias);

public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Canceled,
}

public sealed record IngestJob(
    Guid Id,
    Guid VideoId,
    string Sha256,
    JobState State,
    float Progress,
    string? Error,
    int Attempts,
    string UploadPath,
    string? Title,
    string[] Captions,
    string MetadataJson,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? ProbeJson = null,
    long Epoch = 0,
    bool CancelRequested = false,
    DateTimeOffset? UploadKeptUntil = null,
    string? CallbackUrl = null)
{
    /// <summary>What every write of this claim's results checks: the job still carries the epoch it was claimed under.</summary>
    public JobFence Fence => new(Id, Epoch);
}

/// <summary>A claim of a job: its id and the epoch of the claim. Another instance's takeover bumps the epoch.</summary>
public readonly record struct JobFence(Guid JobId, long Epoch);

/// <summary>The job passed to another instance (its lease expired and the epoch moved on): this claim's work is void.</summary>
public sealed class JobLeaseLostException(JobFence fence)
    : Exception($"Job {fence.JobId} was taken over by another instance (this claim had epoch {fence.Epoch}); its work here is discarded.");

/// <summary>A cancel was requested while the job ran: its owner stops, and the store transaction refuses to commit.</summary>
public sealed class JobCanceledException(JobFence fence) : Exception($"Job {fence.JobId} was canceled on request.");

/// <summary>What an upload hands to <see cref="JobRepository.CreateOrGetActiveAsync"/>.</summary>
/// <param name="VideoId">The id the video will get once ingested.</param>
/// <param name="MetadataJson">A JSON document; "{}" when there is none.</param>
/// <param name="ProbeJson">The upload's probe result as a JSON document, so the job need not probe again; null when unknown.</param>
/// <param name="CallbackUrl">Called when the job ends (already checked against the allow-list); null for none.</param>
public sealed record NewIngestJob(Guid Id, Guid VideoId, string Sha256, string UploadPath, string? Title, IReadOnlyList<string> Captions, string MetadataJson,
    string? ProbeJson = null, string? CallbackUrl = null);

/// <summary>What a request to cancel a job found and did.</summary>
public enum CancelOutcome
{
    /// <summary>The job was queued (or its owner's lease had run out): it is canceled now.</summary>
    Canceled,

    /// <summary>The job is running: its owner stops at its next stage.</summary>
    Requested,

    /// <summary>The job had already ended; nothing changed.</summary>
    AlreadyEnded,
}

/// <summary>What a request to retry a job found and did.</summary>
public enum RetryOutcome
{
    Requeued,

    /// <summary>Only a failed or canceled job is retried.</summary>
    NotEnded,

    AlreadySucceeded,

    /// <summary>The kept upload was swept (or never kept).</summary>
    UploadGone,

    /// <summary>The same file has a live job of its own.</summary>
    FileBusy,

    /// <summary>The same file has been stored since, as another video.</summary>
    StoredAsOtherVideo,
}

/// <summary>A callback a finished job owes, claimed by one sender.</summary>
/// <param name="Body">The exact JSON bytes to send and sign.</param>
/// <param name="Attempts">This claim's attempt number (1 for the first); fences the claim like a job's epoch.</param>
public sealed record CallbackDelivery(Guid Id, Guid JobId, string Url, string Body, int Attempts);

/// <summary>The gallery whose items carry a Sinkhorn–Knopp bias: video segments (text → video) or captions (video → text).</summary>
public enum SkGallery
{
    Videos,
    Captions,
}

/// <summary>
/// The current online Sinkhorn–Knopp fit of one gallery: the query-side scaling per granularity (video, frame,
/// patch), the gallery size it was fitted on and its version. Version 0 is "never fitted".
/// </summary>
/// <param name="Bank">The stored items that played the queries (the videos of a caption fit), in scaling order; empty otherwise.</param>
public sealed record SkFit(long Version, float[][] QueryScaling, int GallerySize, IReadOnlyList<Guid> Bank);

/// <summary>What <c>ucofia reindex</c> re-encodes a gallery for: a model and the segment settings.</summary>
/// <param name="Fingerprint">The model's fingerprint (UCoFIA.Model.ModelFingerprint).</param>
/// <param name="Source">Where the model came from, for messages.</param>
public sealed record ReindexTarget(string Fingerprint, string Source, double SegmentSeconds, double StrideSeconds)
{
    /// <summary>The same features: the same model and segment settings, wherever the model folder lies.</summary>
    public bool Matches(ReindexTarget other) =>
        other is not null && other.Fingerprint == Fingerprint && other.SegmentSeconds == SegmentSeconds && other.StrideSeconds == StrideSeconds;

    public string Describe() => $"model {Fingerprint} ({Source}) with segments of {SegmentSeconds:0.###} s every {StrideSeconds:0.###} s";
}

/// <summary>A reindex under way: its target, when it started and how far it got.</summary>
/// <param name="ModelChanges">
/// The gallery holds features of another model than the target (or a restarted run may have left some): the captions
/// are re-encoded too, and the gallery is rebound only once every video is.
/// </param>
public sealed record ReindexState(ReindexTarget Target, bool ModelChanges, DateTimeOffset StartedAt, long VideosDone, long Videos, long CaptionsDone, long CaptionCount);

/// <summary>A stored video that the reindex under way has not re-encoded yet.</summary>
/// <param name="HasOriginal">Whether its original was kept (the file may still be missing on disk).</param>
/// <param name="Segments">How many segments it has now.</param>
public sealed record ReindexVideo(Guid Id, string? Title, double DurationSeconds, bool HasOriginal, int Segments);

/// <summary>A stored caption that the reindex under way has not re-encoded yet.</summary>
public sealed record ReindexCaption(Guid Id, Guid? VideoId, string Text);
