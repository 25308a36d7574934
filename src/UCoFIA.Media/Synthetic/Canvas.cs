namespace UCoFIA.Media.Synthetic;

/// <summary>A square rgb24 image ([size, size, 3] bytes) with the few drawing operations scenes need.</summary>
internal sealed class Canvas(int size)
{
    public byte[] Pixels { get; } = new byte[size * size * 3];

    /// <summary>Fills the image; stripes and checker cells are size/8 wide.</summary>
    public void FillBackground(Pattern pattern, Colour colour)
    {
        var main = Palette.Rgb(colour);
        var shade = Palette.PatternShade(colour);
        var cell = Math.Max(1, size / 8);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var shaded = pattern switch
                {
                    Pattern.Solid => false,
                    Pattern.Stripes => x / cell % 2 == 1,
                    Pattern.Checker => (x / cell + y / cell) % 2 == 1,
                    _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, null),
                };
                Set(x, y, shaded ? shade : main);
            }
        }
    }

    /// <summary>Draws a shape centred at (cx, cy) inside a square of side 2·half, clipped to the image.</summary>
    public void Draw(Shape shape, Colour colour, double cx, double cy, double half)
    {
        var rgb = Palette.Rgb(colour);
        var left = Math.Max(0, (int)Math.Floor(cx - half));
        var right = Math.Min(size - 1, (int)Math.Ceiling(cx + half));
        var top = Math.Max(0, (int)Math.Floor(cy - half));
        var bottom = Math.Min(size - 1, (int)Math.Ceiling(cy + half));
        for (var y = top; y <= bottom; y++)
        {
            for (var x = left; x <= right; x++)
            {
                // Sample at the pixel centre so a square of side 2·half covers exactly that many pixels.
                if (ShapeMask.Contains(shape, x + 0.5 - cx, y + 0.5 - cy, half))
                {
                    Set(x, y, rgb);
                }
            }
        }
    }

    private void Set(int x, int y, (byte R, byte G, byte B) rgb)
    {
        var offset = (y * size + x) * 3;
        (Pixels[offset], Pixels[offset + 1], Pixels[offset + 2]) = rgb;
    }
}
