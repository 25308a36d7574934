namespace UCoFIA.Media.Synthetic;

/// <summary>
/// Where the group of main objects is, and how large, at a point of the clip. Each phase adds a
/// displacement (or a size change); the start is chosen so the whole path is centred in the frame,
/// which keeps "first left, then up" and "first up, then left" equally far from the borders.
/// </summary>
internal static class MotionPath
{
    // Travel per phase as a fraction of the frame side, and size change per phase as a scale delta;
    // two-phase scenes move less per phase so the path still fits.
    private const double SinglePhaseTravel = 0.4;
    private const double TwoPhaseTravel = 0.3;
    private const double SinglePhaseGrowth = 0.8;
    private const double TwoPhaseGrowth = 0.6;

    /// <param name="progress">Time as a fraction of the clip, in [0, 1).</param>
    /// <returns>The group centre as fractions of the frame side, and the size scale.</returns>
    public static (double X, double Y, double Scale) At(SceneSpec scene, double progress)
    {
        Motion[] phases = scene.LaterMotion is { } later ? [scene.Motion, later] : [scene.Motion];
        var travel = phases.Length == 1 ? SinglePhaseTravel : TwoPhaseTravel;
        var growth = phases.Length == 1 ? SinglePhaseGrowth : TwoPhaseGrowth;

        double x = 0, y = 0, scale = 0, totalX = 0, totalY = 0, totalScale = 0;
        for (var i = 0; i < phases.Length; i++)
        {
            var (dx, dy, ds) = Step(phases[i]);
            // How far through phase i the clip is, clamped to [0, 1].
            var done = Math.Clamp(progress * phases.Length - i, 0, 1);
            x += dx * travel * done;
            y += dy * travel * done;
            scale += ds * growth * done;
            totalX += dx * travel;
            totalY += dy * travel;
            totalScale += ds * growth;
        }

        return (0.5 + x - totalX / 2, 0.5 + y - totalY / 2, 1 + scale - totalScale / 2);
    }

    // Unit direction (image y grows downwards) and unit size change of one motion.
    private static (int Dx, int Dy, int Ds) Step(Motion motion) => motion switch
    {
        Motion.Left => (-1, 0, 0),
        Motion.Right => (1, 0, 0),
        Motion.Up => (0, -1, 0),
        Motion.Down => (0, 1, 0),
        Motion.Still => (0, 0, 0),
        Motion.Growing => (0, 0, 1),
        Motion.Shrinking => (0, 0, -1),
        _ => throw new ArgumentOutOfRangeException(nameof(motion), motion, null),
    };
}
