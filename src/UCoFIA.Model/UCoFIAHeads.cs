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
    public Tensor VideoSentence(Tensor sentence, Tensor video, Tensor logitScale, bool learned) =>
        learned
            ? logitScale * video_text_proj.call(sentence).matmul(video_proj.call(video).t())
            : logitScale * sentence.matmul(video.t());

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
    /// <param name="wordMask">[T, L] bool</param>
    /// <param name="stream">[V, P', D] class token + selected patches per frame, P' = F(1+K)</param>
    /// <param name="streamMask">[V, P'] bool</param>
    /// <returns>[T, V] logit_scale · Bi-ISA</returns>
    public Tensor PatchWord(Tensor words, Tensor wordMask, Tensor stream, Tensor streamMask, Aggregation mode,
        PatchWordDirection direction, double tau, Tensor logitScale, bool learned)
    {
        if (learned)
        {
            words = word_proj.call(words); // [T, L, D]
            stream = patch_proj.call(stream); // [V, P', D]
        }
        var s = einsum("tld,vpd->tlvp", words, stream); // [T, L, V, P']
        return logitScale * bi_isa.Aggregate(s, wordMask, streamMask, mode, direction, tau, learned); // [T, V]
    }

    private static Linear IdentityMap(int d)
    {
        var map = Linear(d, d, hasBias: false);
        using (no_grad())
            map.weight!.copy_(eye(d));
        return map;
    }
}
