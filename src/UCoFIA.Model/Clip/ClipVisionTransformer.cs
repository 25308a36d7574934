using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>CLIP ViT (HF CLIPVisionTransformer) returning every token after post_layernorm.</summary>
internal sealed class ClipVisionTransformer : Module<Tensor, Tensor?, Tensor>
{
    private readonly ClipVisionEmbeddings embeddings;
    private readonly LayerNorm pre_layrnorm; // HF's spelling, kept so checkpoints load by name
    private readonly ClipEncoder encoder;
    private readonly LayerNorm post_layernorm;
    private readonly int shiftedLayers;
    private readonly int divisions;

    public ClipVisionTransformer(VisionConfig config) : base(nameof(ClipVisionTransformer))
    {
        embeddings = new ClipVisionEmbeddings(config);
        pre_layrnorm = LayerNorm(config.HiddenSize, config.LayerNormEps);
        encoder = new ClipEncoder(config.HiddenSize, config.IntermediateSize, config.NumHeads, config.NumLayers,
            causal: false, config.LayerNormEps, config.HiddenAct);
        post_layernorm = LayerNorm(config.HiddenSize, config.LayerNormEps);
        shiftedLayers = config.PatchShiftLayers;
        divisions = config.PatchShiftDiv;
        RegisterComponents();
    }

    /// <param name="pixels">[N, 3, S, S]</param>
    /// <param name="frameVideo">[N] the video of each frame, for the patch shift; ignored when it is off</param>
    /// <remarks>HF applies post_layernorm to the class token only; like the authors' ln_post we apply it to all
    /// tokens, because the patch tokens are projected into the same space as the class token.</remarks>
    public override Tensor forward(Tensor pixels, Tensor? frameVideo)
    {
        var shift = shiftedLayers > 0 && frameVideo is not null ? new PatchShift(frameVideo, divisions) : null;
        var hidden = encoder.Forward(pre_layrnorm.call(embeddings.call(pixels)), null, shift, shiftedLayers); // [N, 1+P, Hv]
        return post_layernorm.call(hidden); // [N, 1+P, Hv]
    }
}
