using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>Token plus learned absolute position embeddings (HF CLIPTextEmbeddings).</summary>
internal sealed class ClipTextEmbeddings : Module<Tensor, Tensor>
{
    private readonly Embedding token_embedding;
    private readonly Embedding position_embedding;

    public ClipTextEmbeddings(TextConfig config) : base(nameof(ClipTextEmbeddings))
    {
        token_embedding = Embedding(config.VocabSize, config.HiddenSize);
        position_embedding = Embedding(config.MaxPositions, config.HiddenSize);
        RegisterComponents();
    }

    /// <param name="ids">[B, L] long</param>
    public override Tensor forward(Tensor ids)
    {
        var positions = ScalarOps.Arange(ids.shape[1], ids.device); // [L]
        return token_embedding.call(ids).Plus(position_embedding.call(positions).unsqueeze(0)); // [B, L, H]
    }
}
