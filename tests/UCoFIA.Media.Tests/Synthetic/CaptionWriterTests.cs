using UCoFIA.Media.Synthetic;

namespace UCoFIA.Media.Tests.Synthetic;

public sealed class CaptionWriterTests
{
    // Written here independently of the generator's phrase tables: any wording must contain one of these.
    private static readonly Dictionary<Shape, string[]> ShapeWords = new()
    {
        [Shape.Circle] = ["circle", "disc"],
        [Shape.Square] = ["square", "box"],
        [Shape.Triangle] = ["triangle"],
        [Shape.Star] = ["star"],
        [Shape.Cross] = ["cross", "plus sign"],
        [Shape.Ring] = ["ring", "hoop"],
    };

    private static readonly Dictionary<Motion, string[]> MotionWords = new()
    {
        [Motion.Left] = ["left"],
        [Motion.Right] = ["right"],
        [Motion.Up] = ["up", "rise"],
        [Motion.Down] = ["down", "sink"],
        [Motion.Still] = ["still", "not move", "in place"],
        [Motion.Growing] = ["grow", "bigger", "expand"],
        [Motion.Shrinking] = ["shrink", "smaller", "contract"],
    };

    private static readonly string[] CountWords = ["", "", "two", "three"];

    private static int FirstIndex(string caption, IEnumerable<string> words) =>
        words.Select(w => caption.IndexOf(w, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();

    private static string CornerWords(Corner corner) => corner switch
    {
        Corner.TopLeft => "top left",
        Corner.TopRight => "top right",
        Corner.BottomLeft => "bottom left",
        _ => "bottom right",
    };

    [Fact]
    public void Captions_GeneratedCorpus_MentionEveryCueOfTheirScene()
    {
        var corpus = new CorpusGenerator(seed: 7).Generate(new CorpusOptions(TrainCount: 150, ValidationCount: 50, TestCount: 0, HardGroups: 0));

        foreach (var item in corpus.All)
        {
            var scene = item.Scene;
            Assert.Equal(3, item.Captions.Count);
            Assert.Equal(3, item.Captions.Distinct().Count());
            foreach (var caption in item.Captions.Select(c => c.ToLowerInvariant()))
            {
                Assert.All(scene.BackgroundColours, c => Assert.Contains(c.ToString().ToLowerInvariant(), caption));
                Assert.Contains($"{scene.Objects.Colour.ToString().ToLowerInvariant()} ", caption);
                Assert.True(FirstIndex(caption, ShapeWords[scene.Objects.Shape]) >= 0, $"'{caption}' names no {scene.Objects.Shape}");
                Assert.True(FirstIndex(caption, MotionWords[scene.Motion]) >= 0, $"'{caption}' says nothing of {scene.Motion}");
                Assert.Contains($"{scene.Detail.Colour.ToString().ToLowerInvariant()} ", caption);
                Assert.True(FirstIndex(caption, ShapeWords[scene.Detail.Shape]) >= 0, $"'{caption}' names no small {scene.Detail.Shape}");
                Assert.Contains(CornerWords(scene.Detail.Corner), caption);
                if (scene.Objects.Count > 1)
                {
                    Assert.Contains(CountWords[scene.Objects.Count] + " ", caption);
                }
            }
        }
    }

    [Fact]
    public void Captions_MotionChange_NamesTheMotionsInTheOrderTheyHappen()
    {
        var scene = new SceneSpec(
            new Backdrop(Pattern.Stripes, Colour.White),
            new MainObjects(Colour.Blue, Shape.Ring, Count: 2),
            Motion.Growing,
            new FineDetail(Colour.Red, Shape.Cross, Corner.BottomRight),
            LaterMotion: Motion.Left);

        var captions = CaptionWriter.Captions(scene, new Random(3), TemplateSet.All, count: 7);

        Assert.All(captions, caption =>
            Assert.True(FirstIndex(caption, MotionWords[Motion.Growing]) < FirstIndex(caption, MotionWords[Motion.Left]), caption));
    }

    [Fact]
    public void Captions_BackgroundChange_NamesTheColoursInTheOrderTheyAppear()
    {
        var scene = new SceneSpec(
            new Backdrop(Pattern.Checker, Colour.Yellow),
            new MainObjects(Colour.Orange, Shape.Triangle, Count: 1),
            Motion.Down,
            new FineDetail(Colour.Black, Shape.Star, Corner.TopRight),
            LaterBackgroundColour: Colour.Purple);

        var captions = CaptionWriter.Captions(scene, new Random(5), TemplateSet.All, count: 7);

        Assert.All(captions, caption => Assert.Matches("yellow.* (to|then) purple", caption));
        Assert.Contains(captions, caption => caption.Contains("an orange triangle", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Captions_MoreThanTheTrainingTemplates_Throws()
    {
        var scene = new CorpusGenerator(seed: 1).Generate(new CorpusOptions(TrainCount: 1, ValidationCount: 0, TestCount: 0, HardGroups: 0)).Train[0].Scene;

        Assert.Throws<ArgumentOutOfRangeException>(() => CaptionWriter.Captions(scene, new Random(0), TemplateSet.Training, count: 6));
    }
}
