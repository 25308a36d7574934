using UCoFIA.Model;

/// <summary>Random-weight models of chosen sizes on the shipped default model's tokenizer, for timing only.</summary>
public static class RandomModels
{
    private static string Vocabulary => Path.Combine(RerankKernelBenchmarks.RepositoryRoot(), "models", "default");

    /// <summary>The default model's vocabulary size, which the tokenizer files fix.</summary>
    public static int VocabSize => UCoFIAConfig.Load(Path.Combine(Vocabulary, UCoFIAModel.ConfigFile)).Text.VocabSize;

    /// <summary>A vision tower the text-side benchmarks never run: as small as a valid config allows.</summary>
    public static readonly VisionConfig UnusedVision = new() { ImageSize = 32, PatchSize = 8, HiddenSize = 64, IntermediateSize = 128, NumHeads = 2, NumLayers = 1 };

    public static UCoFIAModel Create(UCoFIAConfig config, int seed) =>
        UCoFIAModel.CreateRandom(config.Validate(), Path.Combine(Vocabulary, UCoFIAModel.VocabFile), Path.Combine(Vocabulary, UCoFIAModel.MergesFile), seed);
}
