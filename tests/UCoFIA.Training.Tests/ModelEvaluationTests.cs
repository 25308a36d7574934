using UCoFIA.Training.Data;
using UCoFIA.Training.Evaluation;

namespace UCoFIA.Training.Tests;

public class ModelEvaluationTests
{
    [Fact]
    public void FirstClips_CutThroughAHardGroup_KeepsOnlyWholeGroups()
    {
        var corpus = SyntheticData.Generate(5, CorpusFromTraining.Options(train: 4, test: 6, hardGroups: 3));

        var hard = ModelEvaluation.FirstClips(corpus.HardTest, 6);
        var test = ModelEvaluation.FirstClips(corpus.Test, 5);

        Assert.Equal(corpus.HardTest.Take(4), hard);
        Assert.Single(hard.Select(i => i.Group).Distinct());
        Assert.Equal(corpus.Test.Take(5), test);
        Assert.Equal(corpus.HardTest, ModelEvaluation.FirstClips(corpus.HardTest, 100));
    }
}
