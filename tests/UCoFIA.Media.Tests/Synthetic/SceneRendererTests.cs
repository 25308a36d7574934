using UCoFIA.Media.Synthetic;

namespace UCoFIA.Media.Tests.Synthetic;

public sealed class SceneRendererTests
{
    private const int Size = 64;

    private static readonly SceneSpec RedSquareOnBlack = new(
        new Backdrop(Pattern.Solid, Colour.Black),
        new MainObjects(Colour.Red, Shape.Square, Count: 1),
        Motion.Still,
        new FineDetail(Colour.White, Shape.Square, Corner.TopLeft));

    private static int CountPixels(byte[] frame, Colour colour) => PixelsOf(frame, colour).Count();

    private static IEnumerable<(int X, int Y)> PixelsOf(byte[] frame, Colour colour)
    {
        var (r, g, b) = Palette.Rgb(colour);
        for (var p = 0; p < frame.Length / 3; p++)
        {
            if (frame[3 * p] == r && frame[3 * p + 1] == g && frame[3 * p + 2] == b)
            {
                yield return (p % Size, p / Size);
            }
        }
    }

    private static (double X, double Y) Centroid(byte[] frame, Colour colour)
    {
        var pixels = PixelsOf(frame, colour).ToArray();
        return (pixels.Average(p => p.X), pixels.Average(p => p.Y));
    }

    [Fact]
    public void Render_SquareDetail_CoversAboutOneTwentiethOfTheFrame()
    {
        var frame = SceneRenderer.Render(RedSquareOnBlack, frameCount: 1, Size)[0];

        var detailPixels = PixelsOf(frame, Colour.White).ToArray();

        Assert.InRange(detailPixels.Length, 0.9 * Size * Size / 20, 1.1 * Size * Size / 20);
        Assert.All(detailPixels, p => Assert.True(p.X < Size / 2 && p.Y < Size / 2, $"({p.X},{p.Y}) is outside the top left quadrant"));
    }

    [Theory]
    [InlineData(Motion.Left, -1, 0)]
    [InlineData(Motion.Right, 1, 0)]
    [InlineData(Motion.Up, 0, -1)]
    [InlineData(Motion.Down, 0, 1)]
    public void Render_DirectionalMotion_MovesTheMainObjectThatWay(Motion motion, int dx, int dy)
    {
        var frames = SceneRenderer.Render(RedSquareOnBlack with { Motion = motion }, frameCount: 8, Size);

        var (x0, y0) = Centroid(frames[0], Colour.Red);
        var (x1, y1) = Centroid(frames[^1], Colour.Red);

        Assert.Equal(dx, Math.Sign(Math.Round(x1 - x0)));
        Assert.Equal(dy, Math.Sign(Math.Round(y1 - y0)));
    }

    [Theory]
    [InlineData(Motion.Growing, 1)]
    [InlineData(Motion.Shrinking, -1)]
    [InlineData(Motion.Still, 0)]
    public void Render_SizeMotion_ChangesTheMainObjectArea(Motion motion, int sign)
    {
        var frames = SceneRenderer.Render(RedSquareOnBlack with { Motion = motion }, frameCount: 8, Size);

        Assert.Equal(sign, Math.Sign(CountPixels(frames[^1], Colour.Red) - CountPixels(frames[0], Colour.Red)));
    }

    [Fact]
    public void Render_MotionChangesHalfway_FollowsTheFirstMotionThenTheSecond()
    {
        var frames = SceneRenderer.Render(RedSquareOnBlack with { Motion = Motion.Left, LaterMotion = Motion.Up }, frameCount: 8, Size);

        var start = Centroid(frames[0], Colour.Red);
        var middle = Centroid(frames[4], Colour.Red);
        var end = Centroid(frames[^1], Colour.Red);

        Assert.True(middle.X < start.X - 5 && Math.Abs(middle.Y - start.Y) < 1, "the first half moves left only");
        Assert.True(end.Y < middle.Y - 5 && Math.Abs(end.X - middle.X) < 1, "the second half moves up only");
    }

    [Fact]
    public void Render_BackgroundChangesHalfway_ShowsFirstColourThenSecond()
    {
        var frames = SceneRenderer.Render(RedSquareOnBlack with { LaterBackgroundColour = Colour.Blue }, frameCount: 8, Size);

        Assert.True(CountPixels(frames[0], Colour.Black) > Size * Size / 2);
        Assert.Equal(0, CountPixels(frames[0], Colour.Blue));
        Assert.True(CountPixels(frames[^1], Colour.Blue) > Size * Size / 2);
        Assert.Equal(0, CountPixels(frames[^1], Colour.Black));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Render_ObjectCount_DrawsThatManySeparateObjects(int count)
    {
        var scene = RedSquareOnBlack with { Objects = RedSquareOnBlack.Objects with { Count = count } };
        var frame = SceneRenderer.Render(scene, frameCount: 1, Size)[0];

        // Objects sit in a row; count the runs of red along the centre line.
        var (r, g, b) = Palette.Rgb(Colour.Red);
        var row = Enumerable.Range(0, Size).Select(x => frame[3 * (Size / 2 * Size + x)] == r && frame[3 * (Size / 2 * Size + x) + 1] == g && frame[3 * (Size / 2 * Size + x) + 2] == b).ToArray();
        var runs = row.Where((red, x) => red && (x == 0 || !row[x - 1])).Count();

        Assert.Equal(count, runs);
    }

    [Fact]
    public void RenderNormalized_Scene_IsTheClipNormalisationOfTheRenderedFrames()
    {
        var frames = SceneRenderer.Render(RedSquareOnBlack, frameCount: 2, Size);

        var pixels = SceneRenderer.RenderNormalized(RedSquareOnBlack, frameCount: 2, Size);

        Assert.Equal(ClipPreprocessor.NormalizeFrames(frames, Size), pixels);
        Assert.Equal(2 * 3 * Size * Size, pixels.Length);
    }
}
