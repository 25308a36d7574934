using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>Reductions that ignore padded entries (padded words, padded frames).</summary>
internal static class MaskedOps
{
    /// <summary>Logit used for masked entries: exp underflows to exactly 0 yet stays finite, so no NaN appears.</summary>
    public const double MaskedLogit = -1e9;

    /// <summary>Mean of x over dim where mask is true; an all-masked slice gives 0 instead of NaN.</summary>
    /// <param name="x">[..., N, ...]</param>
    /// <param name="mask">bool, broadcastable to x with the reduced dim at the same place</param>
    public static Tensor Mean(Tensor x, Tensor mask, long dim)
    {
        var weights = mask.to(x.dtype); // same rank as x, 1 = valid
        return (x * weights).sum(dim) / weights.sum(dim).ClampMin(1);
    }

    /// <summary>Masked logits for a softmax over the last dim.</summary>
    public static Tensor Fill(Tensor logits, Tensor? mask) =>
        mask is null ? logits : logits.MaskedFill(mask.logical_not(), MaskedLogit);

    /// <summary>L2-normalise the last dim; zero vectors stay zero instead of NaN.</summary>
    public static Tensor Normalize(Tensor x) => x / x.norm(-1, keepdim: true).ClampMin(1e-12);
}
