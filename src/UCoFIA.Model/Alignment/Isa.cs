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

    /// <summary>Reduces dim <paramref name="dim"/> of <paramref name="s"/> (the last by default).</summary>
    /// <param name="s">[..., n, ...] with n at <paramref name="dim"/></param>
    /// <param name="mask">bool broadcastable to s, true = real entry; null = all real. Masked entries get zero weight.</param>
    /// <param name="learned">false uses W = I (zero-shot). W = I is also used when n exceeds the trained size
    /// (all-patches ablation), since no learned interaction exists for that length. A shorter vector is taken as
    /// the leading part of a full-length one whose tail is masked (trimmed padding): the leading n×n block of W then
    /// gives exactly the full-length result, because masked entries carry zero relevance into p·W.</param>
    /// <param name="dim">reducing in place of permuting: Bi-ISA reduces one similarity block over words and over
    /// patches, and a permute would copy the whole block for each order</param>
    public Tensor Aggregate(Tensor s, Tensor? mask, Aggregation mode, double tau, bool learned = true, long dim = -1)
    {
        if (mode == Aggregation.Mean)
            return mask is null ? s.mean([dim]) : MaskedOps.Mean(s, mask.expand_as(s), dim); // [...]
        return (Weights(s, mask, mode, tau, learned, dim) * s).sum(dim); // [...]
    }

    /// <summary>The weight <see cref="Aggregate"/> gives each entry of dim <paramref name="dim"/> in the softmax and
    /// ISA modes: they sum to one over the real entries, masked entries get zero.</summary>
    /// <returns>[..., n, ...], the shape of <paramref name="s"/></returns>
    public Tensor Weights(Tensor s, Tensor? mask, Aggregation mode, double tau, bool learned = true, long dim = -1)
    {
        if (mode == Aggregation.Mean)
            throw new ArgumentException("mean aggregation weighs every real entry alike; it has no relevance weights", nameof(mode));
        var relevance = MaskedOps.Fill(s.Over(tau), mask).softmax(dim); // [..., n, ...]
        if (mode == Aggregation.Isa)
        {
            var n = s.shape[dim < 0 ? dim + s.dim() : dim];
            if (learned && n <= weight.shape[0])
                relevance = Interact(relevance, weight[..(int)n, ..(int)n], dim); // relevant entries raise or lower each other
            relevance = MaskedOps.Fill(relevance.Over(tau), mask).softmax(dim); // [..., n, ...]
        }
        return relevance;
    }

    /// <returns>p·W along <paramref name="dim"/>: one GEMM, the last dim directly, any other as Wᵀ·p over [A, n, B]</returns>
    private static Tensor Interact(Tensor p, Tensor w, long dim)
    {
        var rank = p.dim();
        var at = (int)(dim < 0 ? dim + rank : dim);
        if (at == rank - 1)
            return p.matmul(w); // [..., n]
        var outer = p.shape[..at].Aggregate(1L, (a, b) => a * b);
        var inner = p.shape[(at + 1)..].Aggregate(1L, (a, b) => a * b);
        return w.t().matmul(p.reshape(outer, p.shape[at], inner)).view(p.shape); // [A, n, B] → [..., n, ...]
    }
}
