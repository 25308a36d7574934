namespace UCoFIA.Media;

/// <summary>
/// Where CLIP's preprocessing, torchvision's Resize(S) followed by CenterCrop(S), puts a W×H frame: the short
/// side scaled to S and the long side to int(S · long / short) (truncated, not rounded), then an S×S window at
/// int(round((side − S) / 2)) with halves rounded to even, as Python rounds them.
/// </summary>
public readonly record struct ResizeCropGeometry(int ResizedWidth, int ResizedHeight, int CropX, int CropY)
{
    public static ResizeCropGeometry For(int width, int height, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var portrait = width <= height;
        var (shortSide, longSide) = portrait ? (width, height) : (height, width);
        // Python's true division of exact integers rounds once, as this double division does.
        var resizedLong = (int)(size * (double)longSide / shortSide);
        var (resizedWidth, resizedHeight) = portrait ? (size, resizedLong) : (resizedLong, size);
        return new ResizeCropGeometry(resizedWidth, resizedHeight, CentreOffset(resizedWidth, size), CentreOffset(resizedHeight, size));
    }

    // Math.Round's default is Python's round(): midpoints go to the even neighbour (37.5 → 38, 36.5 → 36).
    private static int CentreOffset(int side, int crop) => (int)Math.Round((side - crop) / 2.0);
}
