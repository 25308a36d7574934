using UCoFIA.Model;

namespace UCoFIA.Service.Inference;

/// <summary>The sizes of the loaded model that the rest of the service lays its arrays out by, read once at load.</summary>
/// <param name="Frames">F, frames sampled per video.</param>
/// <param name="PatchesPerFrame">K, patches kept per frame by the patch selector.</param>
/// <param name="ImageSize">S, the side of the square frames the vision tower takes.</param>
/// <param name="TextLength">L, token positions per text.</param>
/// <param name="Dim">D, the joint embedding dimension.</param>
public sealed record ModelSizes(int Frames, int PatchesPerFrame, int ImageSize, int TextLength, int Dim)
{
    public static ModelSizes Of(UCoFIAConfig config) => new(
        config.Alignment.NumFrames, config.Alignment.TopKPatches, config.Vision.ImageSize, config.Text.MaxPositions, config.ProjectionDim);
}
