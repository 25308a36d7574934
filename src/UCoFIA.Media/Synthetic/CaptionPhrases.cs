namespace UCoFIA.Media.Synthetic;

/// <summary>Ways to say one thing; the <paramref name="TestOnly"/> ones never appear in a training caption.</summary>
internal sealed record Wordings(string[] Training, string[]? TestOnly = null)
{
    public string Pick(Random random, TemplateSet set)
    {
        var testOnly = set == TemplateSet.All ? TestOnly ?? [] : [];
        var index = random.Next(Training.Length + testOnly.Length);
        return index < Training.Length ? Training[index] : testOnly[index - Training.Length];
    }
}

/// <summary>
/// The words and synonyms captions are built from: every attribute (colour, shape, count, motion, pattern, corner,
/// size) has several words, so a model has to learn the scene rather than one word per cue. Test-only wordings
/// are new arrangements of words that training captions use too, so test phrasing is never out of vocabulary.
/// </summary>
internal static class CaptionPhrases
{
    public static string[] Words(Colour colour) => colour switch
    {
        Colour.Red => ["red", "scarlet", "crimson"],
        Colour.Green => ["green", "emerald"],
        Colour.Blue => ["blue", "azure"],
        Colour.Yellow => ["yellow", "golden"],
        Colour.Orange => ["orange", "amber"],
        Colour.Purple => ["purple", "violet"],
        Colour.White => ["white", "ivory"],
        Colour.Black => ["black", "ebony"],
        _ => throw new ArgumentOutOfRangeException(nameof(colour), colour, null),
    };

    public static string[] Words(Corner corner) => corner switch
    {
        Corner.TopLeft => ["top left", "upper left", "top-left"],
        Corner.TopRight => ["top right", "upper right", "top-right"],
        Corner.BottomLeft => ["bottom left", "lower left", "bottom-left"],
        Corner.BottomRight => ["bottom right", "lower right", "bottom-right"],
        _ => throw new ArgumentOutOfRangeException(nameof(corner), corner, null),
    };

    /// <summary>Singular and plural nouns naming a shape.</summary>
    public static (string Singular, string Plural)[] Nouns(Shape shape) => shape switch
    {
        Shape.Circle => [("circle", "circles"), ("disc", "discs")],
        Shape.Square => [("square", "squares"), ("box", "boxes")],
        Shape.Triangle => [("triangle", "triangles"), ("three-sided shape", "three-sided shapes")],
        Shape.Star => [("star", "stars"), ("five-pointed star", "five-pointed stars")],
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
    public static readonly Wordings Sequences = new(["first {0}, then {1}", "{0} and then {1}", "{0}, and afterwards {1}"], ["{0}, afterwards {1}"]);

    /// <summary>Noun phrases for a one-colour background; {0} is the colour.</summary>
    public static Wordings Backgrounds(Pattern pattern) => pattern switch
    {
        Pattern.Solid => new(["a {0} background", "a plain {0} background", "a {0} backdrop", "a uniform {0} backdrop"], ["a plain backdrop of {0}"]),
        Pattern.Stripes => new(["a {0} striped background", "{0} stripes", "a backdrop of {0} stripes", "a {0} banded background"], ["a background of {0} stripes"]),
        Pattern.Checker => new(["a {0} checkered background", "a {0} checkerboard", "a {0} chequered backdrop", "a {0} tiled backdrop"], ["a checkerboard of {0}"]),
        _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, null),
    };

    /// <summary>Noun phrases for a background whose colour changes halfway; {0} and {1} are the colours in order.</summary>
    public static Wordings ChangingBackgrounds(Pattern pattern)
    {
        var noun = pattern switch
        {
            Pattern.Solid => "background",
            Pattern.Stripes => "striped background",
            Pattern.Checker => "checkered background",
            _ => throw new ArgumentOutOfRangeException(nameof(pattern), pattern, null),
        };
        return new([$"a {noun} that turns from {{0}} to {{1}}", $"a {noun} changing from {{0}} to {{1}}", $"a {noun} that is first {{0}} and then {{1}}"],
            [$"a {noun}, first {{0}}, then {{1}}"]);
    }

    public static readonly string[] DetailSizes = ["small", "tiny", "little", "miniature"];

    /// <summary>Phrases placing the detail; {0} is the corner name.</summary>
    public static readonly Wordings Locations = new(["in the {0} corner", "at the {0}", "in the {0}", "near the {0} corner"], ["in the corner at the {0}"]);

    /// <summary>The determiner for one main object; "a" becomes "an" before a vowel.</summary>
    public static readonly string[] Singles = ["a", "one", "a single"];

    public static string[] CountWords(int count) => count switch
    {
        2 => ["two", "a pair of"],
        3 => ["three", "a trio of"],
        _ => throw new ArgumentOutOfRangeException(nameof(count), count, "Only groups of two or three have a count word."),
    };
}
