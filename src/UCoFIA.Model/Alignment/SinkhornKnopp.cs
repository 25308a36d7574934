using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>
/// Sinkhorn–Knopp score unification (ucofia.md): a per-gallery-column log bias that evens out "hub" columns.
/// Everything runs in the log domain in float64, which is the same algebra as the paper's
/// <c>K = exp(L − max L)</c> iteration but cannot underflow when scores carry CLIP's logit scale (≈100).
/// </summary>
/// <remarks>
/// With <c>log K = L − max L</c>: <c>log b = −logsumexp_q log K</c>; then, per iteration,
/// <c>log a = −logsumexp_v(log K + log b)</c> and <c>log b = −logsumexp_q(log K + log a)</c>.
/// The batch bias is <c>log_softmax_v(log b)</c>. The query scaling returned by <see cref="FitQueryScaling"/>
/// is <c>log a − max L</c>, so a column's <c>log b</c> is <c>−logsumexp_q(scaling_q + L_qv)</c> for any
/// column, old or new: that is <see cref="IncrementalLogBias"/>, which therefore equals the batch bias plus
/// one constant shared by every column (the batch's <c>logsumexp_v log b</c>). A constant added to every
/// candidate's score never changes a ranking.
/// </remarks>
public static class SinkhornKnopp
{
    /// <param name="bankScores">[Q, V] bank queries × gallery</param>
    /// <returns>[V] float32 log bias per gallery column, log-softmax-normalised over the gallery.</returns>
    public static Tensor BatchLogBias(Tensor bankScores, int iterations = 4)
    {
        using var scope = NewDisposeScope();
        var (logK, logA) = Fit(bankScores, iterations); // [Q, V], [Q]
        var logB = ColumnLogScaling(logK, logA); // [V]
        return logB.log_softmax(0).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <param name="bankScores">[Q, V]</param>
    /// <returns>[Q] float32 fitted row scaling in the log domain, shifted by −max L (see remarks).</returns>
    public static Tensor FitQueryScaling(Tensor bankScores, int iterations = 4)
    {
        using var scope = NewDisposeScope();
        var (_, logA) = Fit(bankScores, iterations); // [Q]
        var max = bankScores.to(ScalarType.Float64).max();
        return (logA - max).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <param name="queryScaling">[Q] from <see cref="FitQueryScaling"/></param>
    /// <param name="newColumns">[Q, N] the bank's scores against new gallery items</param>
    /// <returns>[N] float32 log bias, equal to <see cref="BatchLogBias"/> up to one constant shared by all columns.</returns>
    public static Tensor IncrementalLogBias(Tensor queryScaling, Tensor newColumns)
    {
        using var scope = NewDisposeScope();
        var logB = ColumnLogScaling(newColumns.to(ScalarType.Float64), queryScaling.to(ScalarType.Float64)); // [N]
        return logB.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <returns>log K = L − max L [Q, V] and the last row scaling log a [Q].</returns>
    private static (Tensor LogK, Tensor LogA) Fit(Tensor bankScores, int iterations)
    {
        if (bankScores.dim() != 2)
            throw new ArgumentException($"bank scores must be [Q, V], got [{string.Join(", ", bankScores.shape)}]");
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var scores = bankScores.to(ScalarType.Float64);
        var logK = scores - scores.max(); // [Q, V]
        var logA = RowLogScaling(logK, -logK.logsumexp(0)); // [Q]: first iteration, starting from b = 1 / colsum(K)
        for (var i = 1; i < iterations; i++)
            logA = RowLogScaling(logK, ColumnLogScaling(logK, logA)); // [Q]
        return (logK, logA);
    }

    /// <returns>[Q] log a = −logsumexp_v(log K + log b)</returns>
    private static Tensor RowLogScaling(Tensor logK, Tensor logB) => -logK.Plus(logB.unsqueeze(0)).logsumexp(1);

    /// <param name="logK">[Q, N] log kernel (any constant shift folded into logA)</param>
    /// <param name="logA">[Q]</param>
    /// <returns>[N] log b = −logsumexp_q(log a + log K)</returns>
    private static Tensor ColumnLogScaling(Tensor logK, Tensor logA) => -logK.Plus(logA.unsqueeze(1)).logsumexp(0);
}
