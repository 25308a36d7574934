namespace UCoFIA.Media.Synthetic;

/// <summary>
/// Draws random scenes whose cues are all visible: objects never share a colour with the background,
/// and the small object differs in colour from the main objects. Training scenes avoid the held-out
/// colour–shape pairs; evaluation scenes may be forced onto one.
/// </summary>
internal sealed class SceneSampler(Random random, IReadOnlySet<(Colour Colour, Shape Shape)> heldOutPairs)
{
    private static readonly Colour[] Colours = Enum.GetValues<Colour>();
    private static readonly Shape[] Shapes = Enum.GetValues<Shape>();
    private static readonly Motion[] Motions = Enum.GetValues<Motion>();
    private static readonly Corner[] Corners = Enum.GetValues<Corner>();
    private static readonly Pattern[] Patterns = Enum.GetValues<Pattern>();

    /// <param name="allowHeldOut">False for training: no held-out pair anywhere in the scene.</param>
    /// <param name="forceHeldOut">True to give the main objects a held-out pair.</param>
    public SceneSpec Sample(bool allowHeldOut, bool forceHeldOut)
    {
        var background = new Backdrop(Pick(Patterns), Pick(Colours));
        // Half the scenes stay the same throughout; a quarter change motion halfway, a quarter the background colour.
        var change = random.Next(4);
        Colour? laterBackground = change == 3 ? Draw(() => Pick(Colours), c => c != background.Colour) : null;
        Colour[] backgroundColours = laterBackground is { } later ? [background.Colour, later] : [background.Colour];

        var (colour, shape) = forceHeldOut
            ? Draw(() => Pick(heldOutPairs.ToArray()), pair => !backgroundColours.Contains(pair.Colour))
            : Draw(() => (Pick(Colours), Pick(Shapes)), pair => !backgroundColours.Contains(pair.Item1) && (allowHeldOut || !heldOutPairs.Contains(pair)));
        var objects = new MainObjects(colour, shape, random.Next(1, 4));

        var motion = Pick(Motions);
        Motion? laterMotion = change == 2 ? Draw(() => Pick(Motions), m => m != motion) : null;

        var detail = Draw(
            () => new FineDetail(Pick(Colours), Pick(Shapes), Pick(Corners)),
            d => IsVisible(d, backgroundColours, colour) && (allowHeldOut || !heldOutPairs.Contains((d.Colour, d.Shape))));
        return new SceneSpec(background, objects, motion, detail, laterMotion, laterBackground);
    }

    /// <summary>
    /// <paramref name="scene"/> with exactly one attribute changed (<paramref name="variation"/>), every cue still
    /// visible, unlike every scene in <paramref name="taken"/>; without <paramref name="allowHeldOut"/> no held-out
    /// colour–shape pair appears.
    /// </summary>
    public SceneSpec Vary(SceneSpec scene, Variation variation, IReadOnlyCollection<SceneSpec> taken, bool allowHeldOut) =>
        TryVary(scene, variation, taken, allowHeldOut) ?? throw new InvalidOperationException("The scene constraints leave no valid choice.");

    /// <summary>As <see cref="Vary"/>, or null when no such variant exists (four corners, one of them taken).</summary>
    public SceneSpec? TryVary(SceneSpec scene, Variation variation, IReadOnlyCollection<SceneSpec> taken, bool allowHeldOut)
    {
        var detail = scene.Detail;
        return TryDraw(
            () => variation switch
            {
                Variation.DetailColour => scene with { Detail = detail with { Colour = Pick(Colours) } },
                Variation.DetailShape => scene with { Detail = detail with { Shape = Pick(Shapes) } },
                Variation.DetailCorner => scene with { Detail = detail with { Corner = Pick(Corners) } },
                Variation.Motion => scene with { Motion = Pick(Motions) },
                Variation.Background => scene with { Background = new Backdrop(Pick(Patterns), Pick(Colours)) },
                _ => throw new ArgumentOutOfRangeException(nameof(variation), variation, null),
            },
            s => !taken.Contains(s) && IsConsistent(s) && (allowHeldOut || !heldOutPairs.Contains((s.Detail.Colour, s.Detail.Shape))),
            out var variant) ? variant : null;
    }

    // Every cue visible, and a change halfway is a real change.
    private static bool IsConsistent(SceneSpec scene)
    {
        var backgroundColours = scene.BackgroundColours.ToArray();
        return !backgroundColours.Contains(scene.Objects.Colour) && IsVisible(scene.Detail, backgroundColours, scene.Objects.Colour)
            && scene.LaterMotion != scene.Motion && scene.LaterBackgroundColour != scene.Background.Colour;
    }

    private static bool IsVisible(FineDetail detail, Colour[] backgroundColours, Colour mainColour) =>
        !backgroundColours.Contains(detail.Colour) && detail.Colour != mainColour;

    private T Pick<T>(IReadOnlyList<T> choices) => choices[random.Next(choices.Count)];

    // Rejection sampling; every constraint here leaves most candidates valid, so this ends quickly.
    private static T Draw<T>(Func<T> draw, Func<T, bool> accept) =>
        TryDraw(draw, accept, out var value) ? value : throw new InvalidOperationException("The scene constraints leave no valid choice.");

    private static bool TryDraw<T>(Func<T> draw, Func<T, bool> accept, out T value)
    {
        for (var attempt = 0; attempt < 10_000; attempt++)
        {
            value = draw();
            if (accept(value))
            {
                return true;
            }
        }
        value = default!;
        return false;
    }
}
