using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>
/// Top-k patch choice: hard at inference; in training the differentiable perturbed top-k of Berthet et al.
/// as the authors use it (TS2-Net): average the one-hot top-k of noisy copies of the scores.
/// </summary>
internal static class PerturbedTopK
{
    /// <param name="scores">[N, P]</param>
    /// <returns>[N, K] long indices of the K highest scores, in spatial (ascending) order.</returns>
    public static Tensor Hard(Tensor scores, int k) => scores.topk(k, -1).indexes.sort(-1).Values;

    /// <param name="scores">[N, P]</param>
    /// <returns>[N, K, P] soft one-hot indicators; row k selects the k-th chosen patch in spatial order.</returns>
    /// <remarks>
    /// The authors write a custom autograd function whose backward is Σ_k grad[n,k,p] · E[n,k,p] with
    /// E = E_noise[onehot · noise] / σ. Adding <c>x·E − stop_grad(x·E)</c> (zero in value) to the indicators
    /// yields exactly that gradient without a custom function.
    /// </remarks>
    public static Tensor Perturbed(Tensor scores, int k, int samples, double sigma, Generator? generator)
    {
        var (n, p) = (scores.shape[0], scores.shape[1]);
        var noise = randn([n, samples, p], dtype: scores.dtype, device: scores.device, generator: generator); // [N, S, P]
        var noisy = scores.detach().unsqueeze(1).Plus(noise.Times(sigma)); // [N, S, P]
        var chosen = noisy.topk(k, -1).indexes.sort(-1).Values; // [N, S, K]
        var oneHot = functional.one_hot(chosen, p).to(scores.dtype); // [N, S, K, P]
        var indicators = oneHot.mean([1]); // [N, K, P]
        var expectedGradient = einsum("nskp,nsp->nkp", oneHot, noise).Over(samples).Over(sigma); // [N, K, P]
        var surrogate = scores.unsqueeze(1) * expectedGradient; // [N, K, P]
        return indicators.Plus(surrogate) - surrogate.detach();
    }
}
