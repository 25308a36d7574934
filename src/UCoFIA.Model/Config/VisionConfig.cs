namespace UCoFIA.Model;

/// <summary>CLIP ViT tower; defaults are Hugging Face's CLIPVisionConfig defaults (ViT-B/32).</summary>
public sealed record VisionConfig
{
    public int ImageSize { get; init; } = 224;
    public int PatchSize { get; init; } = 32;
    public int HiddenSize { get; init; } = 768;
    public int IntermediateSize { get; init; } = 3072;
    public int NumHeads { get; init; } = 12;
    public int NumLayers { get; init; } = 12;
    public double LayerNormEps { get; init; } = 1e-5;
    public string HiddenAct { get; init; } = "quick_gelu";

    /// <summary>P: patches per frame.</summary>
    public int NumPatches => (ImageSize / PatchSize) * (ImageSize / PatchSize);
}
