namespace UCoFIA.Media;

/// <summary>How many frames to take, their square size in pixels, and how long decoding may run.</summary>
public sealed record FrameSamplingOptions(int FrameCount, int ImageSize, TimeSpan Timeout)
{
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(FrameCount, 1, nameof(FrameCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(ImageSize, 1, nameof(ImageSize));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
    }
}
