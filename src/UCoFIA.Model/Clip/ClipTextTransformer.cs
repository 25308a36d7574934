using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>CLIP's causal text transformer (HF CLIPTextTransformer) returning every position after the final LN.</summary>
internal sealed class ClipTextTransformer : Module<Tensor, Tensor>
{
    private readonly ClipTextEmbeddings embeddings;
    private readonly ClipEncoder encoder;
    private readonly LayerNorm final_layer_norm;

    public ClipTextTransformer(TextConfig config) : base(nameof(ClipTextTransformer))
    {
        embeddings = new ClipTextEmbeddings(config);
        encoder = new ClipEncoder(config.HiddenSize, config.IntermediateSize, config.NumHeads, config.NumLayers,
            causal: true, config.LayerNormEps, config.HiddenAct);
        final_layer_norm = LayerNorm(config.HiddenSize, config.LayerNormEps);
        RegisterComponents();
    }

    /// <param name="ids">[B, L] long, padded after the end token.</param>
    /// <remarks>
    /// No padding mask: the causal mask already hides the padding (which follows the end token) from every real
    /// position, exactly as in CLIP; padded positions still get states, which the word mask discards.
    /// </remarks>
    public override Tensor forward(Tensor ids) =>
        final_layer_norm.call(encoder.call(embeddings.call(ids), null)); // [B, L, Ht]
}
