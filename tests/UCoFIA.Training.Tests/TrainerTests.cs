using UCoFIA.Model;
using UCoFIA.Training.Data;

namespace UCoFIA.Training.Tests;

public class TrainerTests
{
    [Fact]
    public async Task RunAsync_TinyConfigFewSteps_LowersTheLossAndWritesTheModelFolder()
    {
        var root = Directory.CreateTempSubdirectory("ucofia-train").FullName;
        var corpusOptions = CorpusFromTraining.Options(train: 8, test: 4, hardGroups: 1);
        var corpus = SyntheticData.Generate(3, corpusOptions);
        var options = new TrainOptions
        {
            Output = Path.Combine(root, "model"),
            CheckpointDir = Path.Combine(root, "checkpoint"),
            Steps = 30,
            Batch = 8,
            LearningRate = 2e-3,
            WarmupFraction = 0.1,
            CheckpointEvery = 1000,
            VocabSize = 600,
            SkBankSize = 10,
        };
        var trainer = new Trainer(options, TextWriter.Null, UCoFIAConfig.Tiny(600));

        using var model = await trainer.RunAsync(new SyntheticStreamData(corpus, corpusOptions, seed: 3, hardShare: 0.5, groupSize: 4), null, CancellationToken.None);

        var first = trainer.Losses.Take(3).Average();
        var last = trainer.Losses.TakeLast(3).Average();
        Assert.True(last < first - 0.1, $"loss went from {first:F3} to {last:F3}");
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.json", "merges.txt", "training.json", "sk_bank.txt" })
            Assert.True(File.Exists(Path.Combine(options.Output, file)), file);
        using var loaded = UCoFIAModel.Load(options.Output, "cpu", 1);
        Assert.False(loaded.ZeroShot);
    }
}
