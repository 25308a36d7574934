namespace UCoFIA.Media;

/// <summary>
/// Frames sampled from one video. <paramref name="FrameCount"/> is the number of frames actually decoded,
/// which is below the requested count when the video has fewer frames than that; nothing is invented.
/// </summary>
/// <param name="Pixels">[FrameCount, 3, ImageSize, ImageSize], CLIP-normalised, row-major.</param>
/// <param name="TimestampsSeconds">[FrameCount], the presentation time of each frame, increasing.</param>
/// <param name="Rgb">Optional raw frames, [ImageSize, ImageSize, 3] bytes each, for thumbnails.</param>
public sealed record SampledFrames(float[] Pixels, double[] TimestampsSeconds, int FrameCount, int ImageSize, byte[][]? Rgb)
{
    /// <summary>
    /// Writes these frames into one clip's slot of a model input padded to <paramref name="frames"/>: the decoded
    /// frames and a true mask for each, the rest left zero and masked out. Training and the service pad alike.
    /// </summary>
    /// <param name="pixels">[F, 3, S, S], zero on entry.</param>
    /// <param name="mask">[F], false on entry.</param>
    /// <returns>How many frames were written.</returns>
    public int CopyPadded(int frames, Span<float> pixels, Span<bool> mask)
    {
        var count = Math.Min(FrameCount, frames);
        Pixels.AsSpan(0, count * 3 * ImageSize * ImageSize).CopyTo(pixels);
        mask[..count].Fill(true);
        return count;
    }
}
