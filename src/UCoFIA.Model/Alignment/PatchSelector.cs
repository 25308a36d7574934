using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>
/// The authors' patch-scoring MLP (TS2-Net's PredictorLG): LN → linear → GELU per token, then each patch
/// concatenated with its frame's class token (and, in the paper's first version, a video context) → linear →
/// GELU → linear → tanh. With <see cref="AlignmentConfig.PatchSelectorClassTokenFirst"/> it has the authors'
/// released shapes instead: each token concatenated with its frame's class token before the LayerNorm
/// (norm [2D], in_proj [H, 2D]), then with the sum of the frames' class-token states (hidden_proj [H, 2H]).
/// </summary>
internal sealed class PatchSelector : Module<Tensor, Tensor, Tensor>
{
    private readonly LayerNorm norm;
    private readonly Linear in_proj;
    private readonly Linear hidden_proj;
    private readonly Linear score_proj;
    private readonly bool videoContext;
    private readonly bool classTokenFirst;

    public PatchSelector(UCoFIAConfig config) : base(nameof(PatchSelector))
    {
        var (d, h) = (config.ProjectionDim, config.PatchSelectorHidden);
        videoContext = config.Alignment.PatchSelectorVideoContext;
        classTokenFirst = config.Alignment.PatchSelectorClassTokenFirst;
        var input = classTokenFirst ? 2 * d : d;
        norm = LayerNorm(input);
        in_proj = Linear(input, h, hasBias: false);
        hidden_proj = Linear((classTokenFirst ? 2 : videoContext ? 3 : 2) * h, h, hasBias: false);
        score_proj = Linear(h, 1, hasBias: false);
        RegisterComponents();
    }

    /// <param name="tokens">[B, F, 1+P, D] projected frame tokens, class token first</param>
    /// <param name="frameMask">[B, F] bool</param>
    /// <returns>[B, F, P] patch scores in (−1, 1)</returns>
    public override Tensor forward(Tensor tokens, Tensor frameMask)
    {
        var hidden = functional.gelu(hidden_proj.call(cat(classTokenFirst ? AuthorsContext(tokens, frameMask) : Context(tokens, frameMask), -1))); // [B, F, P, H]
        return tanh(score_proj.call(hidden)).squeeze(-1); // [B, F, P]
    }

    /// <returns>the parts of each patch's context, each [B, F, P, H]</returns>
    private List<Tensor> Context(Tensor tokens, Tensor frameMask)
    {
        var x = functional.gelu(in_proj.call(norm.call(tokens))); // [B, F, 1+P, H]
        var patches = x[.., .., 1..]; // [B, F, P, H]
        var context = new List<Tensor> { patches, x[.., .., ..1].expand_as(patches) }; // + frame class token
        if (videoContext)
        {
            // A mean (not the authors' sum) so the context's scale does not depend on how many frames are real.
            var video = MaskedOps.Mean(x[.., .., 0], frameMask.unsqueeze(-1), 1); // [B, H]
            context.Add(video.unsqueeze(1).unsqueeze(1).expand_as(patches)); // [B, F, P, H]
        }
        return context;
    }

    /// <returns>the authors' PredictorLG context: each patch's state and the video's, each [B, F, P, H]</returns>
    private List<Tensor> AuthorsContext(Tensor tokens, Tensor frameMask)
    {
        var withClass = cat([tokens, tokens[.., .., ..1].expand_as(tokens)], -1); // [B, F, 1+P, 2D]
        var x = functional.gelu(in_proj.call(norm.call(withClass))); // [B, F, 1+P, H]
        var patches = x[.., .., 1..]; // [B, F, P, H]
        // Their sum over the frames, of the real ones here: with every frame real it is the authors' context.
        var video = (x[.., .., 0] * frameMask.unsqueeze(-1).to(x.dtype)).sum(1); // [B, H]
        return [patches, video.unsqueeze(1).unsqueeze(1).expand_as(patches)];
    }
}
