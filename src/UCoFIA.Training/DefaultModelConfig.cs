using UCoFIA.Model;

namespace UCoFIA.Training;

/// <summary>
/// The shipped default model's shape: small enough to train from scratch on two CPU cores in under half an hour,
/// with the paper's structure intact (three granularities, top-K patch selection, ISA, temporal encoder).
/// </summary>
public static class DefaultModelConfig
{
    public const int VocabSize = 768;

    public static UCoFIAConfig Create(int vocabSize = VocabSize) => new UCoFIAConfig
    {
        Text = new TextConfig { VocabSize = vocabSize, HiddenSize = 96, IntermediateSize = 192, NumHeads = 4, NumLayers = 2, MaxPositions = 24 },
        Vision = new VisionConfig { ImageSize = 64, PatchSize = 16, HiddenSize = 96, IntermediateSize = 192, NumHeads = 4, NumLayers = 2 },
        Temporal = new TemporalConfig { NumLayers = 2, NumHeads = 4 },
        Alignment = new AlignmentConfig { NumFrames = 8, TopKPatches = 2, PerturbedSamples = 32 },
        ProjectionDim = 96,
    }.Validate();
}
