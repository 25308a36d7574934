namespace UCoFIA.Media;

/// <summary>How many frames to take, their square size in pixels, and how long decoding may run.</summary>
/// <param name="ThumbnailWidth">When set, the same frames also come back as JPEGs this wide, uncropped, aspect kept.</param>
public sealed record FrameSamplingOptions(int FrameCount, int ImageSize, TimeSpan Timeout, int? ThumbnailWidth = null)
{
    /// <summary>A thumbnail is at most this many times as tall as it is wide: a 16 × 4000 strip scaled to 320 wide would
    /// be 80,000 px tall, past JPEG's 65,535 and no use to a page. Taller pictures are scaled to that height instead.</summary>
    public const int MaxThumbnailTallness = 4;

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
