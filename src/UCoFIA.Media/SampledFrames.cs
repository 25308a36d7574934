namespace UCoFIA.Media;

/// <summary>
/// Frames sampled from one video. <paramref name="FrameCount"/> is the number of frames actually decoded,
/// which is below the requested count when the video has fewer frames than that; nothing is invented.
/// </summary>
/// <param name="Pixels">[FrameCount, 3, ImageSize, ImageSize], CLIP-normalised, row-major.</param>
/// <param name="TimestampsSeconds">[FrameCount], the presentation time of each frame, increasing.</param>
/// <param name="Rgb">Optional raw frames, [ImageSize, ImageSize, 3] bytes each, for thumbnails.</param>
public sealed record SampledFrames(float[] Pixels, double[] TimestampsSeconds, int FrameCount, int ImageSize, byte[][]? Rgb);
