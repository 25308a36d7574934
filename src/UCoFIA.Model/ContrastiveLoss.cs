using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>Symmetric InfoNCE over a batch's [B, B] score matrix whose diagonal holds the matching pairs.</summary>
internal static class ContrastiveLoss
{
    /// <param name="logits">[B, B] text × video</param>
    /// <returns>scalar: mean of text→video and video→text cross-entropy</returns>
    public static Tensor Symmetric(Tensor logits)
    {
        var targets = ScalarOps.Arange(logits.shape[0], logits.device); // [B]
        return functional.cross_entropy(logits, targets).Plus(functional.cross_entropy(logits.t(), targets)).Over(2);
    }
}
