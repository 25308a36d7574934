namespace UCoFIA.Media.Synthetic;

/// <summary>The eight colours scenes are painted with; captions name them exactly.</summary>
public enum Colour { Red, Green, Blue, Yellow, Orange, Purple, White, Black }

public enum Shape { Circle, Square, Triangle, Star, Cross, Ring }

/// <summary>How the main objects move over (a phase of) the clip.</summary>
public enum Motion { Left, Right, Up, Down, Still, Growing, Shrinking }

/// <summary>Where the small detail object sits.</summary>
public enum Corner { TopLeft, TopRight, BottomLeft, BottomRight }

public enum Pattern { Solid, Stripes, Checker }

/// <summary>The RGB value of each colour, chosen far apart so a colour survives H.264 and CLIP's resize.</summary>
public static class Palette
{
    public static (byte R, byte G, byte B) Rgb(Colour colour) => colour switch
    {
        Colour.Red => (230, 25, 25),
        Colour.Green => (30, 180, 40),
        Colour.Blue => (30, 60, 230),
        Colour.Yellow => (240, 220, 30),
        Colour.Orange => (245, 140, 20),
        Colour.Purple => (140, 40, 190),
        Colour.White => (245, 245, 245),
        Colour.Black => (15, 15, 15),
        _ => throw new ArgumentOutOfRangeException(nameof(colour), colour, null),
    };

    /// <summary>The second tone of a striped or checkered background: a darker shade, or grey for black.</summary>
    public static (byte R, byte G, byte B) PatternShade(Colour colour)
    {
        if (colour == Colour.Black)
        {
            return (110, 110, 110);
        }

        var (r, g, b) = Rgb(colour);
        return ((byte)(r * 45 / 100), (byte)(g * 45 / 100), (byte)(b * 45 / 100));
    }
}

/// <summary>The one attribute in which the clips of a hard-negative group differ.</summary>
public enum Variation { DetailColour, DetailShape, DetailCorner, Motion, Background }
