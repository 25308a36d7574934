namespace UCoFIA.Media;

/// <summary>How many frames to take, their square size in pixels, and how long decoding may run.</summary>
/// <param name="ThumbnailWidth">When set, the same frames also come back as JPEGs this wide, uncropped, aspect kept.</param>
public sealed record FrameSamplingOptions(int FrameCount, int ImageSize, TimeSpan Timeout, int? ThumbnailWidth = null)
{
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(FrameCount, 1, nameof(FrameCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(ImageSize, 1, nameof(ImageSize));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
        if (ThumbnailWidth is { } width)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(width, 2, nameof(ThumbnailWidth));
        }
    }
}
