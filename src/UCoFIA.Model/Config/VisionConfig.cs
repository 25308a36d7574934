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

    /// <summary>Last blocks whose attention input gets TS2-Net's patch shift between neighbouring frames (the
    /// authors' model: 2, blocks 10 and 11 of ViT-B/32); 0 = off, plain CLIP.</summary>
    public int PatchShiftLayers { get; init; }

    /// <summary>The shift's n_div: every (1+P)/div-th token moves (authors: 7).</summary>
    public int PatchShiftDiv { get; init; } = 7;

    /// <summary>P: patches per frame.</summary>
    public int NumPatches => (ImageSize / PatchSize) * (ImageSize / PatchSize);
}
