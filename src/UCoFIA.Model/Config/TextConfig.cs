namespace UCoFIA.Model;

/// <summary>CLIP text tower; defaults are Hugging Face's CLIPTextConfig defaults (ViT-B/32).</summary>
public sealed record TextConfig
{
    public int VocabSize { get; init; } = 49408;
    public int HiddenSize { get; init; } = 512;
    public int IntermediateSize { get; init; } = 2048;
    public int NumHeads { get; init; } = 8;
    public int NumLayers { get; init; } = 12;

    /// <summary>L: token positions, start and end tokens included; every text is padded to it.</summary>
    public int MaxPositions { get; init; } = 77;

    public double LayerNormEps { get; init; } = 1e-5;

    /// <summary>"quick_gelu" (CLIP) or "gelu".</summary>
    public string HiddenAct { get; init; } = "quick_gelu";
}
