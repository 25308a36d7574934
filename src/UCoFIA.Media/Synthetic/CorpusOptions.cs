namespace UCoFIA.Media.Synthetic;

/// <summary>Sizes of a synthetic corpus and of its clips.</summary>
/// <param name="HardGroups">Groups of <paramref name="HardGroupSize"/> clips that differ only in the small object.</param>
/// <param name="FrameCount">Frames per clip; at <paramref name="FramesPerSecond"/> this sets the clip length.</param>
/// <param name="HeldOutShare">The share of validation and test scenes whose main object is a colour–shape pair never seen in training.</param>
public sealed record CorpusOptions(
    int TrainCount = 1000,
    int ValidationCount = 200,
    int TestCount = 200,
    int HardGroups = 50,
    int HardGroupSize = 4,
    int CaptionsPerVideo = 3,
    int FrameCount = 24,
    int ImageSize = 64,
    double FramesPerSecond = 8,
    double HeldOutShare = 0.3)
{
    /// <summary>
    /// Colour–shape pairs that never appear in training, for the main objects or the small object: each shape
    /// and each of six colours is held out once, so every word is still seen in training, just not in these pairs.
    /// </summary>
    public IReadOnlySet<(Colour Colour, Shape Shape)> HeldOutPairs { get; init; } = new HashSet<(Colour, Shape)>
    {
        (Colour.Red, Shape.Star),
        (Colour.Green, Shape.Ring),
        (Colour.Blue, Shape.Triangle),
        (Colour.Yellow, Shape.Cross),
        (Colour.Purple, Shape.Circle),
        (Colour.Orange, Shape.Square),
    };

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(TrainCount);
        ArgumentOutOfRangeException.ThrowIfNegative(ValidationCount);
        ArgumentOutOfRangeException.ThrowIfNegative(TestCount);
        ArgumentOutOfRangeException.ThrowIfNegative(HardGroups);
        ArgumentOutOfRangeException.ThrowIfLessThan(HardGroupSize, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(CaptionsPerVideo, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(FrameCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ImageSize, 8);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(FramesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(HeldOutShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HeldOutShare, 1);
    }
}
