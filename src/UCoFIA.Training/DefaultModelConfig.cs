using UCoFIA.Model;

namespace UCoFIA.Training;

/// <summary>
/// The shipped default model's shape, sized for a training run of about 100 minutes on two CPU cores, with the
/// paper's structure intact (three granularities, top-K patch selection, ISA, temporal encoder).
/// </summary>
/// <remarks>
/// Frames of 128 px with 16 px patches (8×8 = 64 per frame) so the small object covers a whole patch: the renderer
/// draws it in a square of side 128·√(1/20) = 28.6 px, 128/32 = 4 px from the corner, so it spans pixels 4 to 32.6
/// and holds the whole patch 16–32 in each direction (mirrored for the other corners: 95.4–124 holds 96–112), and
/// overlaps a 2×2 block of patches by at least 12 px each. K = 6 of 64 patches per frame leaves room for those
/// four and the main objects. L = 32 text positions like the authors.
/// </remarks>
public static class DefaultModelConfig
{
    public const int VocabSize = 1024;

    public static UCoFIAConfig Create(int vocabSize = VocabSize) => new UCoFIAConfig
    {
        Text = new TextConfig { VocabSize = vocabSize, HiddenSize = 96, IntermediateSize = 384, NumHeads = 4, NumLayers = 2, MaxPositions = 32 },
        Vision = new VisionConfig { ImageSize = 128, PatchSize = 16, HiddenSize = 96, IntermediateSize = 384, NumHeads = 4, NumLayers = 2 },
        Temporal = new TemporalConfig { NumLayers = 2, NumHeads = 4 },
        Alignment = new AlignmentConfig { NumFrames = 8, TopKPatches = 6, PerturbedSamples = 32 },
        ProjectionDim = 96,
    }.Validate();
}
