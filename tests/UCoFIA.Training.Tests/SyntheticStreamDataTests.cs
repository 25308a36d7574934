using UCoFIA.Training.Data;

namespace UCoFIA.Training.Tests;

public sealed class SyntheticStreamDataTests
{
    [Fact]
    public void Batch_TheDefaultRunsFirst300Steps_AlwaysFindsItsHardNegativeGroups()
    {
        // The default run's corpus and seed: step 141 or so drew a base scene whose four corners could not all be
        // used (one variant was an evaluation scene), and the run died on it.
        var defaults = new TrainOptions { Output = "unused" };
        var options = CorpusFromTraining.Options(defaults.TrainClips, defaults.TestClips, defaults.HardGroups);
        var corpus = SyntheticData.Generate(defaults.Seed, options);
        var stream = new UCoFIA.Media.Synthetic.TrainingStream(options.HeldOutPairs,
            corpus.Validation.Concat(corpus.Test).Concat(corpus.HardTest).Select(item => item.Scene).ToHashSet());

        for (var step = 0; step < 300; step++)
        {
            var batch = stream.Batch(StepSeed.For(defaults.Seed, step), defaults.Batch, defaults.HardGroupSize, defaults.HardShare);
            Assert.Equal(defaults.Batch, batch.Count);
        }
    }
}
