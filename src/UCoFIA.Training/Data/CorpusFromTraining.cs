using System.Text.Json.Nodes;
using UCoFIA.Media.Synthetic;

namespace UCoFIA.Training.Data;

/// <summary>The synthetic corpus a model was trained on, rebuilt from its training.json (same seed, same sizes).</summary>
public static class CorpusFromTraining
{
    public const int ValidationClips = 100;

    public static CorpusOptions Options(int train, int test, int hardGroups) =>
        new(TrainCount: train, ValidationCount: ValidationClips, TestCount: test, HardGroups: hardGroups);

    public static (Corpus Corpus, int Seed) Load(string modelFolder, int? seedOverride)
    {
        var path = Path.Combine(modelFolder, ModelFolder.TrainingFile);
        var node = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))?["synthetic_corpus"] : null;
        var seed = seedOverride ?? node?["seed"]?.GetValue<int>() ?? 1;
        var options = Options(node?["train"]?.GetValue<int>() ?? 2000, node?["test"]?.GetValue<int>() ?? 200,
            node?["hard_groups"]?.GetValue<int>() ?? 50);
        return (new CorpusGenerator(seed).Generate(options), seed);
    }
}
