namespace UCoFIA.Media;

/// <summary>
/// Frames sampled from one video. <paramref name="FrameCount"/> is the number of frames actually decoded,
/// which is below the requested count when the video has fewer frames than that; nothing is invented.
/// </summary>
/// <param name="Pixels">[FrameCount, 3, ImageSize, ImageSize], CLIP-normalised, row-major.</param>
/// <param name="TimestampsSeconds">[FrameCount], the presentation time of each frame, increasing.</param>
/// <param name="Thumbnails">The same frames as viewing-size JPEGs, when <see cref="FrameSamplingOptions.ThumbnailWidth"/> was set.</param>
public sealed record SampledFrames(float[] Pixels, double[] TimestampsSeconds, int FrameCount, int ImageSize,
    IReadOnlyList<byte[]>? Thumbnails = null)
{
    /// <summary>
    /// Writes up to <paramref name="frames"/> of these frames, from <paramref name="first"/> on, into one clip's slot
    /// of a model input padded to <paramref name="frames"/>: the decoded frames and a true mask for each, the rest
    /// left zero and masked out. Training and the service pad alike.
    /// </summary>
    /// <param name="pixels">[F, 3, S, S], zero on entry.</param>
    /// <param name="mask">[F], false on entry.</param>
    /// <param name="first">The first frame to take: a segment's window of a long video's samples.</param>
    /// <returns>How many frames were written.</returns>
    public int CopyPadded(int frames, Span<float> pixels, Span<bool> mask, int first = 0)
    {
        var frameLength = 3 * ImageSize * ImageSize;
        var count = Math.Clamp(FrameCount - first, 0, frames);
        Pixels.AsSpan(first * frameLength, count * frameLength).CopyTo(pixels);
        mask[..count].Fill(true);
        return count;
    }
}
