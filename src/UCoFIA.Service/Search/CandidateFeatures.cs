namespace UCoFIA.Service.Search;

/// <summary>
/// One stored video's features as the re-ranker consumes them: flat arrays padded to the model's frame count,
/// so many candidates stack into one tensor with a single copy each.
/// </summary>
/// <param name="Video">[D]</param>
/// <param name="Frames">[F, D], zero rows past <paramref name="FrameCount"/></param>
/// <param name="Patches">[F, K, D], zero rows past <paramref name="FrameCount"/></param>
/// <param name="SkBias">Sinkhorn–Knopp log bias per granularity (video, frame, patch).</param>
public sealed record CandidateFeatures(
    Guid Id,
    string? Title,
    float[] Video,
    float[] Frames,
    float[] Patches,
    double[] FrameTimes,
    int FrameCount,
    float[] SkBias)
{
    public long SizeInBytes => sizeof(float) * ((long)Video.Length + Frames.Length + Patches.Length + SkBias.Length)
        + sizeof(double) * (long)FrameTimes.Length + 64;
}
