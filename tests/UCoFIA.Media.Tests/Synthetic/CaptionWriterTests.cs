using UCoFIA.Media.Synthetic;

namespace UCoFIA.Media.Tests.Synthetic;

public sealed class CaptionWriterTests
{
    // Written here independently of the generator's phrase tables: any wording must contain one of these.
    private static readonly Dictionary<Shape, string[]> ShapeWords = new()
    {
        [Shape.Circle] = ["circle", "disc"],
        [Shape.Square] = ["square", "box"],
        [Shape.Triangle] = ["triangle", "three-sided"],
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

    private static readonly string[][] CountWords = [[], [], ["two", "pair"], ["three", "trio"]];

    private static readonly Dictionary<Colour, string[]> ColourWords = new()
    {
        [Colour.Red] = ["red", "scarlet", "crimson"],
        [Colour.Green] = ["green", "emerald"],
        [Colour.Blue] = ["blue", "azure"],
        [Colour.Yellow] = ["yellow", "golden"],
        [Colour.Orange] = ["orange", "amber"],
        [Colour.Purple] = ["purple", "violet"],
        [Colour.White] = ["white", "ivory"],
        [Colour.Black] = ["black", "ebony"],
    };

    private static int FirstIndex(string caption, IEnumerable<string> words) =>
        words.Select(w => caption.IndexOf(w, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();

    private static string CornerPattern(Corner corner) => corner switch
    {
        Corner.TopLeft => "(top|upper)[ -]left",
        Corner.TopRight => "(top|upper)[ -]right",
        Corner.BottomLeft => "(bottom|lower)[ -]left",
        _ => "(bottom|lower)[ -]right",
    };

    private static bool NamesColour(string caption, Colour colour) => FirstIndex(caption, ColourWords[colour]) >= 0;

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
                Assert.All(scene.BackgroundColours, c => Assert.True(NamesColour(caption, c), $"'{caption}' names no {c} background"));
                Assert.True(NamesColour(caption, scene.Objects.Colour), $"'{caption}' names no {scene.Objects.Colour} object");
                Assert.True(FirstIndex(caption, ShapeWords[scene.Objects.Shape]) >= 0, $"'{caption}' names no {scene.Objects.Shape}");
                Assert.True(FirstIndex(caption, MotionWords[scene.Motion]) >= 0, $"'{caption}' says nothing of {scene.Motion}");
                Assert.True(NamesColour(caption, scene.Detail.Colour), $"'{caption}' names no {scene.Detail.Colour} detail");
                Assert.True(FirstIndex(caption, ShapeWords[scene.Detail.Shape]) >= 0, $"'{caption}' names no small {scene.Detail.Shape}");
                Assert.Matches(CornerPattern(scene.Detail.Corner), caption);
                if (scene.Objects.Count > 1)
                {
                    Assert.True(FirstIndex(caption, CountWords[scene.Objects.Count]) >= 0, $"'{caption}' gives no count");
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

        var captions = CaptionWriter.Captions(scene, new Random(3), TemplateSet.All, count: 13);

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

        var captions = CaptionWriter.Captions(scene, new Random(5), TemplateSet.All, count: 13);

        Assert.All(captions, caption => Assert.Matches("(yellow|golden).* (to|then) (purple|violet)", caption));
        Assert.Contains(captions, caption => caption.Contains("an orange triangle", StringComparison.OrdinalIgnoreCase)
            || caption.Contains("an amber triangle", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Captions_MoreThanTheTrainingTemplates_Throws()
    {
        var scene = new CorpusGenerator(seed: 1).Generate(new CorpusOptions(TrainCount: 1, ValidationCount: 0, TestCount: 0, HardGroups: 0)).Train[0].Scene;

        Assert.Throws<ArgumentOutOfRangeException>(() => CaptionWriter.Captions(scene, new Random(0), TemplateSet.Training, count: 11));
    }

    // Each test-only structure with its parts as wildcards; a training caption matching one would be test phrasing.
    private static readonly string[] TestOnlyStructures =
    [
        @"^.+: .+; .+ on .+\.$",
        @"^With .+, .+ over .+\.$",
        @"^.+ is .+\. .+ on .+\.$",
    ];

    private static readonly string[] TestOnlyWordings = ["in the corner at the", "a plain backdrop of", "a background of", "a checkerboard of", ", first ", ", afterwards "];

    private static List<string> ManyCaptions(TemplateSet set)
    {
        var corpus = new CorpusGenerator(seed: 11).Generate(new CorpusOptions(TrainCount: 600, ValidationCount: 0, TestCount: 0, HardGroups: 0));
        var random = new Random(2);
        return corpus.Train.SelectMany(item => CaptionWriter.Captions(item.Scene, random, set, count: 3)).ToList();
    }

    [Fact]
    public void Captions_TrainingSet_NeverUseATestOnlyPhrasing()
    {
        var training = ManyCaptions(TemplateSet.Training);
        var all = ManyCaptions(TemplateSet.All);

        foreach (var structure in TestOnlyStructures)
        {
            Assert.DoesNotContain(training, caption => System.Text.RegularExpressions.Regex.IsMatch(caption, structure));
            Assert.Contains(all, caption => System.Text.RegularExpressions.Regex.IsMatch(caption, structure));
        }
        foreach (var wording in TestOnlyWordings)
        {
            Assert.DoesNotContain(training, caption => caption.Contains(wording, StringComparison.OrdinalIgnoreCase));
            Assert.Contains(all, caption => caption.Contains(wording, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Captions_TestOnlyPhrasings_UseOnlyWordsOfTrainingCaptions()
    {
        static IEnumerable<string> Words(IEnumerable<string> captions) =>
            captions.SelectMany(c => System.Text.RegularExpressions.Regex.Matches(c.ToLowerInvariant(), "[a-z]+").Select(m => m.Value));
        var known = Words(ManyCaptions(TemplateSet.Training)).ToHashSet();

        var unknown = Words(ManyCaptions(TemplateSet.All)).Where(w => !known.Contains(w)).Distinct().ToArray();

        Assert.Empty(unknown);
    }
}
