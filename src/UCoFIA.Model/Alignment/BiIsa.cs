using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>
/// Bi-directional ISA over word × patch similarities, batched over every text–video pair: one ISA per order
/// and stage, four learned W in all (the authors' word_mat_weight, pixel_mat_weight2, pixel_mat_weight, word_mat_weight2).
/// </summary>
internal sealed class BiIsa : Module
{
    private readonly Isa word_isa;               // words first, stage 1: over L for each patch
    private readonly Isa patch_isa_after_words;  // words first, stage 2: over F(1+K)
    private readonly Isa patch_isa;              // patches first, stage 1: over F(1+K) for each word
    private readonly Isa word_isa_after_patches; // patches first, stage 2: over L

    public BiIsa(int words, int patches) : base(nameof(BiIsa))
    {
        word_isa = new Isa(words);
        patch_isa_after_words = new Isa(patches);
        patch_isa = new Isa(patches);
        word_isa_after_patches = new Isa(words);
        RegisterComponents();
    }

    /// <param name="s">[T, L, V, P'] word–patch similarities, P' = F(1+K)</param>
    /// <param name="wordMask">[T, L] bool</param>
    /// <param name="patchMask">[V, P'] bool</param>
    /// <returns>[T, V]</returns>
    public Tensor Aggregate(Tensor s, Tensor wordMask, Tensor patchMask, Aggregation mode, PatchWordDirection direction,
        double tau, bool learned) => direction switch
        {
            PatchWordDirection.WordsFirst => WordsFirst(s, wordMask, patchMask, mode, tau, learned),
            PatchWordDirection.PatchesFirst => PatchesFirst(s, wordMask, patchMask, mode, tau, learned),
            _ => WordsFirst(s, wordMask, patchMask, mode, tau, learned).Plus(PatchesFirst(s, wordMask, patchMask, mode, tau, learned)).Over(2),
        };

    /// <summary>The patches-first order's first stage as weights: for each word, how much each patch token counts.</summary>
    /// <param name="s">[T, L, V, P']</param>
    /// <param name="patchMask">[V, P'] bool</param>
    /// <returns>[T, L, V, P'], summing to one over the real patch tokens</returns>
    public Tensor PatchWeights(Tensor s, Tensor patchMask, Aggregation mode, double tau, bool learned) =>
        patch_isa.Weights(s, patchMask.unsqueeze(0).unsqueeze(0), mode, tau, learned);

    private Tensor WordsFirst(Tensor s, Tensor wordMask, Tensor patchMask, Aggregation mode, double tau, bool learned)
    {
        var perPatch = word_isa.Aggregate(s, wordMask.unsqueeze(-1).unsqueeze(-1), mode, tau, learned, dim: 1); // [T, V, P']
        return patch_isa_after_words.Aggregate(perPatch, patchMask.unsqueeze(0), mode, tau, learned); // [T, V]
    }

    private Tensor PatchesFirst(Tensor s, Tensor wordMask, Tensor patchMask, Aggregation mode, double tau, bool learned)
    {
        var perWord = patch_isa.Aggregate(s, patchMask.unsqueeze(0).unsqueeze(0), mode, tau, learned); // [T, L, V]
        return word_isa_after_patches.Aggregate(perWord, wordMask.unsqueeze(-1), mode, tau, learned, dim: 1); // [T, V]
    }
}
