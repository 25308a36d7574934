using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>Multi-head self-attention with HF CLIPAttention's parameter names (q/k/v/out_proj).</summary>
internal sealed class ClipAttention : Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear out_proj;
    private readonly int numHeads;
    private readonly bool causal;

    public ClipAttention(int hidden, int numHeads, bool causal) : base(nameof(ClipAttention))
    {
        q_proj = Linear(hidden, hidden);
        k_proj = Linear(hidden, hidden);
        v_proj = Linear(hidden, hidden);
        out_proj = Linear(hidden, hidden);
        this.numHeads = numHeads;
        this.causal = causal;
        RegisterComponents();
    }

    /// <param name="x">[B, N, H]</param>
    /// <param name="additiveMask">[B, 1, 1, N] added to the attention logits (large negative = masked key), or null.</param>
    public override Tensor forward(Tensor x, Tensor? additiveMask)
    {
        var (b, n, h) = (x.shape[0], x.shape[1], x.shape[2]);
        var headDim = h / numHeads;
        var q = q_proj.call(x).view(b, n, numHeads, headDim).transpose(1, 2); // [B, heads, N, hd]
        var k = k_proj.call(x).view(b, n, numHeads, headDim).transpose(1, 2); // [B, heads, N, hd]
        var v = v_proj.call(x).view(b, n, numHeads, headDim).transpose(1, 2); // [B, heads, N, hd]
        var attended = functional.scaled_dot_product_attention(q, k, v, additiveMask, is_casual: causal); // [B, heads, N, hd]
        return out_proj.call(attended.transpose(1, 2).reshape(b, n, h)); // [B, N, H]
    }
}
