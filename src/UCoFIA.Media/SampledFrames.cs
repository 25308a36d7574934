namespace UCoFIA.Media;

/// <summary>
/// Frames sampled from one video. <paramref name="FrameCount"/> is the number of frames actually decoded,
/// which is below the requested count when the video has fewer frames than that; nothing is invented.
/// Use <see cref="PadTo"/> when a fixed frame count is needed for batching.
/// </summary>
/// <param name="Pixels">[FrameCount, 3, ImageSize, ImageSize], CLIP-normalised, row-major.</param>
/// <param name="TimestampsSeconds">[FrameCount], the presentation time of each frame, increasing.</param>
/// <param name="Rgb">Optional raw frames, [ImageSize, ImageSize, 3] bytes each, for thumbnails.</param>
public sealed record SampledFrames(float[] Pixels, double[] TimestampsSeconds, int FrameCount, int ImageSize, byte[][]? Rgb)
{
    private int FrameLength => 3 * ImageSize * ImageSize;

    /// <summary>Repeats the last frame (pixels, timestamp and rgb) until there are <paramref name="frameCount"/> frames.</summary>
    public SampledFrames PadTo(int frameCount)
    {
        if (frameCount <= FrameCount)
        {
            return this;
        }

        var pixels = new float[frameCount * FrameLength];
        Pixels.CopyTo(pixels, 0);
        var last = Pixels.AsSpan((FrameCount - 1) * FrameLength, FrameLength);
        for (var f = FrameCount; f < frameCount; f++)
        {
            last.CopyTo(pixels.AsSpan(f * FrameLength, FrameLength));
        }

        var timestamps = Enumerable.Range(0, frameCount).Select(f => TimestampsSeconds[Math.Min(f, FrameCount - 1)]).ToArray();
        var rgb = Rgb is null ? null : Enumerable.Range(0, frameCount).Select(f => Rgb[Math.Min(f, FrameCount - 1)]).ToArray();
        return new SampledFrames(pixels, timestamps, frameCount, ImageSize, rgb);
    }
}
