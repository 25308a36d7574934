namespace UCoFIA.Media.Synthetic;

/// <summary>Draws a <see cref="SceneSpec"/> as square rgb24 frames, deterministically and without ffmpeg.</summary>
public static class SceneRenderer
{
    /// <summary>The small object's share of the frame area: big enough to survive a resize, too small for a pooled global feature.</summary>
    public const double DetailAreaFraction = 1.0 / 20;

    /// <summary>
    /// Renders <paramref name="frameCount"/> frames of <paramref name="size"/>×<paramref name="size"/> pixels;
    /// frame t shows the scene at time t / frameCount of the clip. These are the instants
    /// <see cref="FrameSampler"/> picks from an encoded clip whose frame count is a multiple of the
    /// sampled count, so training on rendered frames matches serving on decoded ones.
    /// </summary>
    public static byte[][] Render(SceneSpec scene, int frameCount, int size)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(scene.Objects.Count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scene.Objects.Count, 3);

        var frames = new byte[frameCount][];
        for (var t = 0; t < frameCount; t++)
        {
            var progress = (double)t / frameCount;
            var canvas = new Canvas(size);
            var background = progress >= 0.5 && scene.LaterBackgroundColour is { } later ? later : scene.Background.Colour;
            canvas.FillBackground(scene.Background.Pattern, background);
            DrawMainObjects(canvas, scene, progress, size);
            // Drawn last so the fine cue is never hidden behind a main object.
            DrawDetail(canvas, scene.Detail, size);
            frames[t] = canvas.Pixels;
        }

        return frames;
    }

    /// <summary>Rendered frames CLIP-normalised into one [F, 3, S, S] buffer, for training without encoding video.</summary>
    public static float[] RenderNormalized(SceneSpec scene, int frameCount, int size) =>
        ClipPreprocessor.NormalizeFrames(Render(scene, frameCount, size), size);

    private static void DrawMainObjects(Canvas canvas, SceneSpec scene, double progress, int size)
    {
        var (x, y, scale) = MotionPath.At(scene, progress);
        var objects = scene.Objects;
        var half = size * (objects.Count == 1 ? 0.14 : 0.10) * scale;
        // Several objects line up across the first motion, so moving never stacks them on top of each other.
        var alongY = scene.Motion is Motion.Left or Motion.Right;
        var spacing = 2.5 * half;
        for (var i = 0; i < objects.Count; i++)
        {
            var offset = (i - (objects.Count - 1) / 2.0) * spacing;
            var cx = x * size + (alongY ? 0 : offset);
            var cy = y * size + (alongY ? offset : 0);
            canvas.Draw(objects.Shape, objects.Colour, cx, cy, half);
        }
    }

    private static void DrawDetail(Canvas canvas, FineDetail detail, int size)
    {
        // A square of side size·√(1/20) has exactly the target area; other shapes fill part of that square.
        var half = size * Math.Sqrt(DetailAreaFraction) / 2;
        var margin = size / 32.0;
        var left = detail.Corner is Corner.TopLeft or Corner.BottomLeft;
        var top = detail.Corner is Corner.TopLeft or Corner.TopRight;
        var cx = left ? margin + half : size - margin - half;
        var cy = top ? margin + half : size - margin - half;
        canvas.Draw(detail.Shape, detail.Colour, cx, cy, half);
    }
}
