using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>
/// Everything UCoFIA adds to CLIP, under the <c>ucofia.</c> prefix: temporal encoder, patch selector, the ISA
/// matrices and the four D×D maps (the authors' global_mat_weight(_1) and local_mat_weight(1)).
/// All matrices start at the identity, so an untrained head leaves CLIP's similarities unchanged.
/// </summary>
internal sealed class UCoFIAHeads : Module
{
    private readonly TemporalEncoder temporal;
    private readonly PatchSelector patch_selector;
    private readonly Isa frame_isa;
    private readonly BiIsa bi_isa;
    private readonly Linear video_text_proj; // G, sentence side of the video–sentence score
    private readonly Linear video_proj;      // G′, video side
    private readonly Linear word_proj;       // words before the word–patch similarity
    private readonly Linear patch_proj;      // patch stream before the word–patch similarity

    public UCoFIAHeads(UCoFIAConfig config) : base(nameof(UCoFIAHeads))
    {
        var d = config.ProjectionDim;
        temporal = new TemporalEncoder(config);
        patch_selector = new PatchSelector(config);
        frame_isa = new Isa(config.Alignment.NumFrames);
        bi_isa = new BiIsa(config.Text.MaxPositions, config.PatchStreamLength);
        video_text_proj = IdentityMap(d);
        video_proj = IdentityMap(d);
        word_proj = IdentityMap(d);
        patch_proj = IdentityMap(d);
        RegisterComponents();
    }

    public TemporalEncoder Temporal => temporal;

    public PatchSelector PatchSelector => patch_selector;

    /// <param name="sentence">[T, D]</param>
    /// <param name="video">[V, D]</param>
    /// <returns>[T, V] logit_scale · (t·G)·(v·G′)ᵀ</returns>
    /// <remarks>(t·G)·(v·G′)ᵀ = (t·G·G′ᵀ)·vᵀ: both maps are folded into the text side, so the cost does not grow
    /// with the number of candidate videos.</remarks>
    public Tensor VideoSentence(Tensor sentence, Tensor video, Tensor logitScale, bool learned) =>
        logitScale * (learned ? FoldMaps(sentence, video_text_proj, video_proj) : sentence).matmul(video.t()); // [T, V]

    /// <param name="sentence">[T, D]</param>
    /// <param name="frames">[V, F, D]</param>
    /// <param name="frameMask">[V, F] bool</param>
    /// <returns>the [T, V] score (logit-scaled ISA over frames) and the raw [T, V, F] cosines</returns>
    public (Tensor Score, Tensor PerFrame) FrameSentence(Tensor sentence, Tensor frames, Tensor frameMask,
        Aggregation mode, double tau, Tensor logitScale, bool learned)
    {
        var perFrame = einsum("td,vfd->tvf", sentence, frames); // [T, V, F]
        var score = frame_isa.Aggregate(perFrame, frameMask.unsqueeze(0), mode, tau, learned); // [T, V]
        return (logitScale * score, perFrame);
    }

    /// <param name="words">[T, L, D]</param>
    /// <param name="frames">[V, F, D] class tokens</param>
    /// <param name="patches">[V, F, K, D] selected patches</param>
    /// <returns>[T, L, V, P'] similarities to each video's stream, P' = F(1+K), each frame's class token first</returns>
    /// <remarks>Scoring class tokens and patches separately and joining the small similarity blocks avoids
    /// materialising the [V, P', D] stream for every call (the candidate side is the large one).</remarks>
    public Tensor WordPatchSimilarities(Tensor words, Tensor frames, Tensor patches, bool learned)
    {
        if (learned)
            words = FoldMaps(words, word_proj, patch_proj); // [T, L, D]; as above, spares a D×D map per candidate
        var toClass = einsum("tld,vfd->tlvf", words, frames).unsqueeze(-1); // [T, L, V, F, 1]
        var toPatches = einsum("tld,vfkd->tlvfk", words, patches); // [T, L, V, F, K]
        var s = cat([toClass, toPatches], -1); // [T, L, V, F, 1+K]
        return s.flatten(3); // [T, L, V, P']
    }

    /// <param name="s">[T, L, V, P'] from <see cref="WordPatchSimilarities"/></param>
    /// <param name="wordMask">[T, L] bool</param>
    /// <param name="streamMask">[V, P'] bool</param>
    /// <param name="logitScale">null leaves Bi-ISA unscaled, as the authors' evaluation does</param>
    /// <returns>[T, V] logit_scale · Bi-ISA</returns>
    public Tensor PatchWord(Tensor s, Tensor wordMask, Tensor streamMask, Aggregation mode, PatchWordDirection direction,
        double tau, Tensor? logitScale, bool learned)
    {
        var score = bi_isa.Aggregate(s, wordMask, streamMask, mode, direction, tau, learned); // [T, V]
        return logitScale is null ? score : logitScale * score;
    }

    /// <param name="s">[T, L, V, P'] from <see cref="WordPatchSimilarities"/></param>
    /// <param name="streamMask">[V, P'] bool</param>
    /// <returns>[T, L, V, P'] each word's weights over the patch stream, as <see cref="PatchWord"/> applies them</returns>
    public Tensor PatchWeights(Tensor s, Tensor streamMask, Aggregation mode, double tau, bool learned) =>
        bi_isa.PatchWeights(s, streamMask, mode, tau, learned);

    /// <summary>x·Aᵀ·B for Linear maps A (applied to x) and B (meant for the other side), so that
    /// (x·Aᵀ)·(y·Bᵀ)ᵀ = FoldMaps(x)·yᵀ.</summary>
    private static Tensor FoldMaps(Tensor x, Linear own, Linear other) => own.call(x).matmul(other.weight!);

    private static Linear IdentityMap(int d)
    {
        var map = Linear(d, d, hasBias: false);
        using (no_grad())
            map.weight!.copy_(eye(d));
        return map;
    }
}
