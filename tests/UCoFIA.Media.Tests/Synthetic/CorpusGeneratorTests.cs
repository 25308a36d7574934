using UCoFIA.Media.Synthetic;

namespace UCoFIA.Media.Tests.Synthetic;

public sealed class CorpusGeneratorTests
{
    private static readonly CorpusOptions Small = new(TrainCount: 300, ValidationCount: 100, TestCount: 100, HardGroups: 20, FrameCount: 8, ImageSize: 32);

    private static readonly Lazy<Corpus> Corpus = new(() => new CorpusGenerator(seed: 42).Generate(Small));

    // Phrases only the held-out sentence structures use.
    private static readonly string[] HeldOutTemplateMarkers = [": ", "With ", ". "];

    private static IEnumerable<(Colour, Shape)> Pairs(SceneSpec scene) =>
        [(scene.Objects.Colour, scene.Objects.Shape), (scene.Detail.Colour, scene.Detail.Shape)];

    [Fact]
    public void Generate_SameSeed_SameScenesCaptionsAndFrames()
    {
        var again = new CorpusGenerator(seed: 42).Generate(Small);

        Assert.Equal(Corpus.Value.All.Select(i => (i.Id, i.Scene, string.Join('|', i.Captions), i.Split, i.Group)),
            again.All.Select(i => (i.Id, i.Scene, string.Join('|', i.Captions), i.Split, i.Group)));
        var scene = Corpus.Value.Train[0].Scene;
        Assert.Equal(SceneRenderer.Render(scene, 8, 32), SceneRenderer.Render(again.Train[0].Scene, 8, 32));
    }

    [Fact]
    public void Generate_DifferentSeed_DifferentCorpus()
    {
        var other = new CorpusGenerator(seed: 43).Generate(Small);

        Assert.NotEqual(Corpus.Value.Train.Select(i => i.Scene), other.Train.Select(i => i.Scene));
    }

    [Fact]
    public void Generate_Splits_HaveTheRequestedSizesAndUniqueIds()
    {
        var corpus = Corpus.Value;

        Assert.Equal((300, 100, 100, 20 * 4), (corpus.Train.Count, corpus.Validation.Count, corpus.Test.Count, corpus.HardTest.Count));
        Assert.Equal(corpus.All.Count(), corpus.All.Select(i => i.Id).Distinct().Count());
        Assert.All(corpus.Train, i => Assert.Equal(CorpusSplit.Train, i.Split));
        Assert.All(corpus.HardTest, i => Assert.Equal(CorpusSplit.HardTest, i.Split));
    }

    [Fact]
    public void Generate_HeldOutPairs_AbsentFromTrainAndPresentInTest()
    {
        var heldOut = Small.HeldOutPairs;

        Assert.DoesNotContain(Corpus.Value.Train.SelectMany(i => Pairs(i.Scene)), heldOut.Contains);
        Assert.Contains(Corpus.Value.Test.SelectMany(i => Pairs(i.Scene)), heldOut.Contains);
        // Every colour and shape is still seen in training, only not in those pairs.
        Assert.Equal(Enum.GetValues<Colour>().Length, Corpus.Value.Train.Select(i => i.Scene.Objects.Colour).Distinct().Count());
        Assert.Equal(Enum.GetValues<Shape>().Length, Corpus.Value.Train.Select(i => i.Scene.Objects.Shape).Distinct().Count());
    }

    [Fact]
    public void Generate_HeldOutTemplates_AbsentFromTrainAndPresentInTest()
    {
        bool UsesHeldOutTemplate(string caption) => HeldOutTemplateMarkers.Any(caption.Contains);

        Assert.DoesNotContain(Corpus.Value.Train.SelectMany(i => i.Captions), UsesHeldOutTemplate);
        Assert.Contains(Corpus.Value.Test.SelectMany(i => i.Captions), UsesHeldOutTemplate);
    }

    [Fact]
    public void Generate_Scenes_CoverEveryCueAndBothKindsOfChange()
    {
        var scenes = Corpus.Value.Train.Select(i => i.Scene).ToArray();

        Assert.Equal(Enum.GetValues<Motion>().Length, scenes.Select(s => s.Motion).Distinct().Count());
        Assert.Equal(Enum.GetValues<Pattern>().Length, scenes.Select(s => s.Background.Pattern).Distinct().Count());
        Assert.Equal(Enum.GetValues<Corner>().Length, scenes.Select(s => s.Detail.Corner).Distinct().Count());
        Assert.Equal([1, 2, 3], scenes.Select(s => s.Objects.Count).Distinct().Order());
        Assert.Contains(scenes, s => s.LaterMotion is not null);
        Assert.Contains(scenes, s => s.LaterBackgroundColour is not null);
        Assert.DoesNotContain(scenes, s => s.LaterMotion is not null && s.LaterBackgroundColour is not null);
        Assert.DoesNotContain(scenes, s => s.BackgroundColours.Contains(s.Objects.Colour) || s.BackgroundColours.Contains(s.Detail.Colour));
    }

    [Fact]
    public void Generate_HardTestGroups_DifferOnlyInTheSmallObject()
    {
        foreach (var group in Corpus.Value.HardTest.GroupBy(i => i.Group))
        {
            var items = group.ToArray();
            Assert.Equal(4, items.Length);
            var first = items[0].Scene;
            Assert.All(items, i => Assert.Equal(first, i.Scene with { Detail = first.Detail }));
            Assert.Equal(items.Length, items.Select(i => i.Scene.Detail).Distinct().Count());
            // Each variant changes exactly one of colour, shape or corner relative to the first clip.
            Assert.All(items.Skip(1), i =>
            {
                var d = i.Scene.Detail;
                var changed = (d.Colour != first.Detail.Colour ? 1 : 0) + (d.Shape != first.Detail.Shape ? 1 : 0) + (d.Corner != first.Detail.Corner ? 1 : 0);
                Assert.Equal(1, changed);
            });
        }
    }

    [Fact]
    public void Generate_HardTestGroup_FramesDifferOnlyInTheCorners()
    {
        const int size = 64;
        var group = Corpus.Value.HardTest.Take(4).Select(i => SceneRenderer.Render(i.Scene, 4, size)).ToArray();
        // The small object's square is size/√20 wide plus a size/32 margin; allow one pixel for its edge.
        var corner = (int)Math.Ceiling(size / Math.Sqrt(20) + size / 32.0) + 1;
        bool InCorner(int x, int y) => (x < corner || x >= size - corner) && (y < corner || y >= size - corner);

        foreach (var other in group.Skip(1))
        {
            for (var f = 0; f < 4; f++)
            {
                var differing = Enumerable.Range(0, size * size).Where(p => !group[0][f].AsSpan(3 * p, 3).SequenceEqual(other[f].AsSpan(3 * p, 3))).ToArray();
                Assert.NotEmpty(differing);
                Assert.All(differing, p => Assert.True(InCorner(p % size, p / size), $"pixel ({p % size},{p / size}) differs outside the corners"));
            }
        }
    }
}
