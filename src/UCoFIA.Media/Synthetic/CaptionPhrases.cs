namespace UCoFIA.Media.Synthetic;

/// <summary>
/// The words and synonyms captions are built from. Colours, counts and corner names are always the exact
/// vocabulary word; nouns, verbs and sentence structure vary, so a model has to learn the language rather
/// than one template.
/// </summary>
internal static class CaptionPhrases
{
    public static string Word(Colour colour) => colour.ToString().ToLowerInvariant();

    public static string Word(Corner corner) => corner switch
    {
        Corner.TopLeft => "top left",
        Corner.TopRight => "top right",
        Corner.BottomLeft => "bottom left",
        Corner.BottomRight => "bottom right",
        _ => throw new ArgumentOutOfRangeException(nameof(corner), corner, null),
    };

    /// <summary>Singular and plural nouns naming a shape.</summary>
    public static (string Singular, string Plural)[] Nouns(Shape shape) => shape switch
    {
        Shape.Circle => [("circle", "circles"), ("disc", "discs")],
        Shape.Square => [("square", "squares"), ("box", "boxes")],
        Shape.Triangle => [("triangle", "triangles")],
        Shape.Star => [("star", "stars")],
        Shape.Cross => [("cross", "crosses"), ("plus sign", "plus signs")],
        Shape.Ring => [("ring", "rings"), ("hoop", "hoops")],
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };

    /// <summary>Verb phrases for a motion, in the third person singular and plural.</summary>
    public static (string Singular, string Plural)[] Verbs(Motion motion) => motion switch
    {
        Motion.Left => [("moves left", "move left"), ("slides to the left", "slide to the left"), ("travels leftward", "travel leftward")],
        Motion.Right => [("moves right", "move right"), ("slides to the right", "slide to the right"), ("travels rightward", "travel rightward")],
        Motion.Up => [("moves up", "move up"), ("rises", "rise"), ("drifts upward", "drift upward")],
        Motion.Down => [("moves down", "move down"), ("sinks", "sink"), ("drifts downward", "drift downward")],
        Motion.Still => [("stays still", "stay still"), ("does not move", "do not move"), ("remains in place", "remain in place")],
        Motion.Growing => [("grows", "grow"), ("gets bigger", "get bigger"), ("expands", "expand")],
        Motion.Shrinking => [("shrinks", "shrink"), ("gets smaller", "get smaller"), ("contracts", "contract")],
        _ => throw new ArgumentOutOfRangeException(nameof(motion), motion, null),
    };

    /// <summary>Ways to say that one motion follows another; {0} is the first verb phrase, {1} the second.</summary>
    public static readonly string[] Sequences = ["first {0}, then {1}", "{0} and then {1}", "{0}, and afterwards {1}"];

    /// <summary>Noun phrases for a one-colour background; {0} is the colour.</summary>
    public static string[] Backgrounds(Pattern pattern) => pattern switch
    {
        Pattern.Solid => ["a {0} background", "a plain {0} background", "a {0} backdrop"],
        Pattern.Stripes => ["a {0} striped background", "{0} stripes", "a backdrop of {0} stripes"],
        Pattern.Checker => ["a {0} checkered background", "a {0} checkerboard", "a {0} chequered backdrop"],
        _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, null),
    };

    /// <summary>Noun phrases for a background whose colour changes halfway; {0} and {1} are the colours in order.</summary>
    public static string[] ChangingBackgrounds(Pattern pattern)
    {
        var noun = pattern switch
        {
            Pattern.Solid => "background",
            Pattern.Stripes => "striped background",
            Pattern.Checker => "checkered background",
            _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, null),
        };
        return [$"a {noun} that turns from {{0}} to {{1}}", $"a {noun} changing from {{0}} to {{1}}", $"a {noun} that is first {{0}} and then {{1}}"];
    }

    public static readonly string[] DetailSizes = ["small", "tiny", "little"];

    /// <summary>Phrases placing the detail; {0} is the corner name.</summary>
    public static readonly string[] Locations = ["in the {0} corner", "at the {0}", "in the {0}"];

    /// <summary>The determiner for one main object; "a" becomes "an" before a vowel.</summary>
    public static readonly string[] Singles = ["a", "one", "a single"];

    public static string CountWord(int count) => count switch
    {
        2 => "two",
        3 => "three",
        _ => throw new ArgumentOutOfRangeException(nameof(count), count, "Only groups of two or three have a count word."),
    };
}
