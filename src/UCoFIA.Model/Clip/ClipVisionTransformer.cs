using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>CLIP ViT (HF CLIPVisionTransformer) returning every token after post_layernorm.</summary>
internal sealed class ClipVisionTransformer : Module<Tensor, Tensor>
{
    private readonly ClipVisionEmbeddings embeddings;
    private readonly LayerNorm pre_layrnorm; // HF's spelling, kept so checkpoints load by name
    private readonly ClipEncoder encoder;
    private readonly LayerNorm post_layernorm;

    public ClipVisionTransformer(VisionConfig config) : base(nameof(ClipVisionTransformer))
    {
        embeddings = new ClipVisionEmbeddings(config);
        pre_layrnorm = LayerNorm(config.HiddenSize, config.LayerNormEps);
        encoder = new ClipEncoder(config.HiddenSize, config.IntermediateSize, config.NumHeads, config.NumLayers,
            causal: false, config.LayerNormEps, config.HiddenAct);
        post_layernorm = LayerNorm(config.HiddenSize, config.LayerNormEps);
        RegisterComponents();
    }

    /// <param name="pixels">[N, 3, S, S]</param>
    /// <remarks>HF applies post_layernorm to the class token only; like the authors' ln_post we apply it to all
    /// tokens, because the patch tokens are projected into the same space as the class token.</remarks>
    public override Tensor forward(Tensor pixels) =>
        post_layernorm.call(encoder.call(pre_layrnorm.call(embeddings.call(pixels)), null)); // [N, 1+P, Hv]
}
