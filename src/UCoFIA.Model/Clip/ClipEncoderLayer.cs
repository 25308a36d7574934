using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>One pre-LayerNorm transformer block, HF CLIPEncoderLayer names.</summary>
internal sealed class ClipEncoderLayer : Module<Tensor, Tensor?, Tensor>
{
    private readonly LayerNorm layer_norm1;
    private readonly ClipAttention self_attn;
    private readonly LayerNorm layer_norm2;
    private readonly ClipMlp mlp;

    public ClipEncoderLayer(int hidden, int intermediate, int numHeads, bool causal, double eps, string activation)
        : base(nameof(ClipEncoderLayer))
    {
        layer_norm1 = LayerNorm(hidden, eps);
        self_attn = new ClipAttention(hidden, numHeads, causal);
        layer_norm2 = LayerNorm(hidden, eps);
        mlp = new ClipMlp(hidden, intermediate, activation);
        RegisterComponents();
    }

    /// <param name="x">[B, N, H]</param>
    /// <param name="additiveMask">[B, 1, 1, N] or null</param>
    public override Tensor forward(Tensor x, Tensor? additiveMask) => Forward(x, additiveMask, null);

    /// <param name="x">[B, N, H]</param>
    /// <param name="additiveMask">[B, 1, 1, N] or null</param>
    /// <param name="shift">the patch shift on the attention input (only the attention sees shifted tokens), or null</param>
    public Tensor Forward(Tensor x, Tensor? additiveMask, PatchShift? shift)
    {
        var normed = layer_norm1.call(x); // [B, N, H]
        x = x.Plus(self_attn.call(shift is null ? normed : shift.Apply(normed), additiveMask)); // [B, N, H]
        return x.Plus(mlp.call(layer_norm2.call(x))); // [B, N, H]
    }
}
