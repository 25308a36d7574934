namespace UCoFIA.Model;

/// <summary>How a similarity vector is reduced to one score (the paper's ablation of ISA).</summary>
public enum Aggregation
{
    /// <summary>Plain (masked) average.</summary>
    Mean,

    /// <summary>Σ s_i · softmax(s / τ)_i.</summary>
    Softmax,

    /// <summary>Σ s_i · softmax((softmax(s / τ) · W) / τ)_i with a learned n×n W.</summary>
    Isa,
}
