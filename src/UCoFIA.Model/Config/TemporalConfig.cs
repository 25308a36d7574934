namespace UCoFIA.Model;

/// <summary>CLIP4Clip "seqTransf" temporal encoder over frame features (width = projection dim).</summary>
public sealed record TemporalConfig
{
    public int NumLayers { get; init; } = 4;
    public int NumHeads { get; init; } = 8;
}
