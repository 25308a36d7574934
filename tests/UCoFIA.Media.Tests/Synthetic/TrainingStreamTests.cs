using UCoFIA.Media.Synthetic;

namespace UCoFIA.Media.Tests.Synthetic;

public sealed class TrainingStreamTests
{
    private static readonly CorpusOptions Options = new(TrainCount: 0, ValidationCount: 0, TestCount: 300, HardGroups: 40);

    private static (Corpus Corpus, TrainingStream Stream) Build()
    {
        var corpus = new CorpusGenerator(seed: 4).Generate(Options);
        var excluded = corpus.All.Select(i => i.Scene).ToHashSet();
        return (corpus, new TrainingStream(Options.HeldOutPairs, excluded));
    }

    private static IEnumerable<(Colour, Shape)> Pairs(SceneSpec scene) =>
        [(scene.Objects.Colour, scene.Objects.Shape), (scene.Detail.Colour, scene.Detail.Shape)];

    private static int Differences(SceneSpec a, SceneSpec b) =>
        (a.Detail.Colour != b.Detail.Colour ? 1 : 0) + (a.Detail.Shape != b.Detail.Shape ? 1 : 0) + (a.Detail.Corner != b.Detail.Corner ? 1 : 0)
        + (a.Motion != b.Motion ? 1 : 0) + (a.Background != b.Background ? 1 : 0)
        + (a.Objects != b.Objects || a.LaterMotion != b.LaterMotion || a.LaterBackgroundColour != b.LaterBackgroundColour ? 1 : 0);

    [Fact]
    public void Batch_ManySteps_NeverHoldsAHeldOutPairOrAnEvaluationScene()
    {
        var (corpus, stream) = Build();
        var evaluation = corpus.All.Select(i => i.Scene).ToHashSet();

        var scenes = Enumerable.Range(0, 200).SelectMany(step => stream.Batch(new Random(step), 32, 4, 0.5)).Select(i => i.Scene).ToArray();

        Assert.DoesNotContain(scenes, s => Pairs(s).Any(Options.HeldOutPairs.Contains));
        Assert.DoesNotContain(scenes, evaluation.Contains);
        // The evaluation splits do hold the combinations training never shows.
        Assert.Contains(corpus.Test, i => Pairs(i.Scene).Any(Options.HeldOutPairs.Contains));
    }

    [Fact]
    public void Batch_HardShare_GroupsDifferInExactlyOneAttribute()
    {
        var (_, stream) = Build();

        var batch = stream.Batch(new Random(9), 32, 4, 0.5);

        var groups = batch.Where(i => i.Group is not null).GroupBy(i => i.Group).ToArray();
        Assert.Equal(4, groups.Length);
        Assert.Equal(32, batch.Count);
        Assert.Equal(32, batch.Select(i => i.Scene).Distinct().Count());
        foreach (var group in groups)
        {
            var scenes = group.Select(i => i.Scene).ToArray();
            Assert.Equal(4, scenes.Length);
            foreach (var a in scenes)
                Assert.All(scenes.Where(b => b != a), b => Assert.Equal(1, Differences(a, b)));
        }
    }

    [Fact]
    public void Batch_SameSeed_SameClipsAndCaptions()
    {
        var (_, stream) = Build();

        var first = stream.Batch(new Random(5), 16, 4, 0.5);
        var again = stream.Batch(new Random(5), 16, 4, 0.5);
        var next = stream.Batch(new Random(6), 16, 4, 0.5);

        Assert.Equal(first.Select(i => (i.Scene, i.Captions[0])), again.Select(i => (i.Scene, i.Captions[0])));
        Assert.NotEqual(first.Select(i => i.Scene), next.Select(i => i.Scene));
    }
}
