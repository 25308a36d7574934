namespace UCoFIA.Media.Synthetic;

/// <summary>The background: a pattern in one colour (patterns alternate it with a darker shade).</summary>
public sealed record Backdrop(Pattern Pattern, Colour Colour);

/// <summary>The coarse subject: <paramref name="Count"/> identical objects (1 to 3) that move together.</summary>
public sealed record MainObjects(Colour Colour, Shape Shape, int Count);

/// <summary>The fine cue: a small object, about 1/20 of the frame, in one corner for the whole clip.</summary>
public sealed record FineDetail(Colour Colour, Shape Shape, Corner Corner);

/// <summary>
/// Everything a synthetic clip shows. A scene may change once, halfway: either the main objects switch
/// from <see cref="Motion"/> to <see cref="LaterMotion"/>, or the background colour switches to
/// <see cref="LaterBackgroundColour"/>, never both; the order of the two halves is what captions with
/// "first … then …" describe.
/// </summary>
public sealed record SceneSpec(
    Backdrop Background,
    MainObjects Objects,
    Motion Motion,
    FineDetail Detail,
    Motion? LaterMotion = null,
    Colour? LaterBackgroundColour = null)
{
    /// <summary>The colours visible in the background at any time.</summary>
    public IEnumerable<Colour> BackgroundColours =>
        LaterBackgroundColour is { } later ? [Background.Colour, later] : [Background.Colour];
}
