namespace UCoFIA.Storage;

/// <summary>
/// Everything the model produced for one video, L2-normalised, each vector of length D.
/// </summary>
/// <param name="Video">[D]</param>
/// <param name="Frames">[F][D]</param>
/// <param name="FrameTimes">[F] seconds from the start of the video.</param>
/// <param name="Patches">[F][K][D] the selected patches of each frame, best first.</param>
/// <param name="PatchIndices">[F][K] the position of each selected patch in its frame's patch grid.</param>
public sealed record VideoFeatureRows(float[] Video, float[][] Frames, double[] FrameTimes, float[][][] Patches, int[][] PatchIndices);

/// <param name="MetadataJson">A JSON document (jsonb column); "{}" when there is none.</param>
/// <param name="SkBias">Online Sinkhorn–Knopp bias per granularity (video, frame, patch); null until fitted.</param>
public sealed record VideoRecord(
    Guid Id,
    string Sha256,
    string? Title,
    double DurationSeconds,
    double Fps,
    int FrameCount,
    DateTimeOffset CreatedAt,
    string MetadataJson,
    float[]? SkBias);

/// <summary>What the re-ranker needs for one video.</summary>
/// <param name="Frames">[F][D] in frame order.</param>
/// <param name="FrameTimes">[F] seconds.</param>
/// <param name="Patches">[F][K][D] in rank order.</param>
/// <param name="SkBias">Per granularity; empty when not fitted yet.</param>
public sealed record StoredVideoFeatures(Guid Id, string? Title, float[] Video, float[][] Frames, double[] FrameTimes, float[][][] Patches, float[] SkBias);

/// <param name="Sentence">[D]</param>
/// <param name="TokenIds">[L]</param>
/// <param name="Words">[L][D], one per token.</param>
public sealed record CaptionInsert(Guid Id, Guid? VideoId, string Text, float[] Sentence, int[] TokenIds, float[][] Words);

/// <param name="Words">[L][D] in token order.</param>
public sealed record StoredCaptionFeatures(Guid Id, Guid? VideoId, string Text, float[] Sentence, float[][] Words);

public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
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
    string? ProbeJson = null);

/// <summary>What an upload hands to <see cref="JobRepository.CreateOrGetActiveAsync"/>.</summary>
/// <param name="VideoId">The id the video will get once ingested.</param>
/// <param name="MetadataJson">A JSON document; "{}" when there is none.</param>
/// <param name="ProbeJson">The upload's probe result as a JSON document, so the job need not probe again; null when unknown.</param>
public sealed record NewIngestJob(Guid Id, Guid VideoId, string Sha256, string UploadPath, string? Title, IReadOnlyList<string> Captions, string MetadataJson,
    string? ProbeJson = null);

/// <summary>The fitted text-side scaling of the online Sinkhorn–Knopp for one granularity.</summary>
public sealed record SkState(string Granularity, float[] QueryScaling, int GallerySize, DateTimeOffset FittedAt);
