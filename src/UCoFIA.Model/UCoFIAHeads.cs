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
        logitScale * VideoQuery(sentence, learned).matmul(video.t()); // [T, V]

    /// <param name="sentence">[T, D]</param>
    /// <returns>[T, D] t·G·G′ᵀ: its inner product with a video vector is the video–sentence score before the scale</returns>
    public Tensor VideoQuery(Tensor sentence, bool learned) =>
        learned ? FoldMaps(sentence, video_text_proj, video_proj) : sentence;

    /// <param name="sentence">[T, D]</param>
    /// <param name="frames">[V, F, D], a view into the patch stream</param>
    /// <param name="frameMask">[V, F] bool</param>
    /// <returns>the [T, V] score (logit-scaled ISA over frames) and the raw [T, V, F] cosines</returns>
    public (Tensor Score, Tensor PerFrame) FrameSentence(Tensor sentence, Tensor frames, Tensor frameMask,
        Aggregation mode, double tau, Tensor logitScale, bool learned)
    {
        var (v, f, d) = (frames.shape[0], frames.shape[1], frames.shape[2]);
        // A GEMM on [V·F, D] reads the frames in place inside the patch stream, where an einsum would copy them out.
        var perFrame = frames.reshape(v * f, d).matmul(sentence.t()).view(v, f, -1).permute(2, 0, 1); // [V·F, T] → [T, V, F]
        var score = frame_isa.Aggregate(perFrame, frameMask.unsqueeze(0), mode, tau, learned); // [T, V]
        return (logitScale * score, perFrame);
    }

    /// <param name="words">[T, L, D]</param>
    /// <param name="stream">[V, F, 1+K, D] contiguous: each frame's class token, then its selected patches</param>
    /// <returns>[T, L, V, P'] similarities to each video's stream, P' = F(1+K)</returns>
    /// <remarks>One GEMM, [T·L, D] × [D, V·P'], straight into the layout both Bi-ISA orders reduce without a permute:
    /// over L (dim 1) and over P' (the last).</remarks>
    public Tensor WordPatchSimilarities(Tensor words, Tensor stream, bool learned)
    {
        if (learned)
            words = FoldMaps(words, word_proj, patch_proj); // [T, L, D]; spares a D×D map per candidate
        var (t, l, d) = (words.shape[0], words.shape[1], words.shape[2]);
        var (v, p) = (stream.shape[0], stream.shape[1] * stream.shape[2]);
        return words.reshape(t * l, d).matmul(stream.view(v * p, d).t()).view(t, l, v, p); // [T·L, V·P'] → [T, L, V, P']
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
