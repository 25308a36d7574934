using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>
/// Interactive similarity aggregation over an n-vector (ucofia.md): Σ s_i · softmax((softmax(s/τ)·W)/τ)_i,
/// with W (n×n, identity init) learned. Also does the plain softmax and mean reductions for the ablations.
/// </summary>
internal sealed class Isa : Module
{
    private readonly Parameter weight; // [n, n]

    public Isa(int n) : base(nameof(Isa))
    {
        weight = Parameter(eye(n));
        RegisterComponents();
    }

    /// <summary>Reduces the last dim of <paramref name="s"/>.</summary>
    /// <param name="s">[..., n]</param>
    /// <param name="mask">bool broadcastable to s, true = real entry; null = all real. Masked entries get zero weight.</param>
    /// <param name="learned">false uses W = I (zero-shot). W = I is also used when n exceeds the trained size
    /// (all-patches ablation), since no learned interaction exists for that length. A shorter vector is taken as
    /// the leading part of a full-length one whose tail is masked (trimmed padding): the leading n×n block of W then
    /// gives exactly the full-length result, because masked entries carry zero relevance into p·W.</param>
    public Tensor Aggregate(Tensor s, Tensor? mask, Aggregation mode, double tau, bool learned = true)
    {
        if (mode == Aggregation.Mean)
            return mask is null ? s.mean([-1]) : MaskedOps.Mean(s, mask.expand_as(s), -1); // [...]
        return (Weights(s, mask, mode, tau, learned) * s).sum(-1); // [...]
    }

    /// <summary>The weight <see cref="Aggregate"/> gives each entry of the last dim in the softmax and ISA modes:
    /// they sum to one over the real entries, masked entries get zero.</summary>
    /// <returns>[..., n]</returns>
    public Tensor Weights(Tensor s, Tensor? mask, Aggregation mode, double tau, bool learned = true)
    {
        if (mode == Aggregation.Mean)
            throw new ArgumentException("mean aggregation weighs every real entry alike; it has no relevance weights", nameof(mode));
        var relevance = MaskedOps.Fill(s.Over(tau), mask).softmax(-1); // [..., n]
        if (mode == Aggregation.Isa)
        {
            var n = s.shape[^1];
            if (learned && n <= weight.shape[0])
                relevance = relevance.matmul(weight[..(int)n, ..(int)n]); // [..., n]: relevant entries raise or lower each other
            relevance = MaskedOps.Fill(relevance.Over(tau), mask).softmax(-1); // [..., n]
        }
        return relevance;
    }
}
