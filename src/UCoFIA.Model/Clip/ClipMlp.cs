using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>The transformer feed-forward block (HF CLIPMLP: fc1 → activation → fc2).</summary>
internal sealed class ClipMlp : Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly bool quickGelu;

    public ClipMlp(int hidden, int intermediate, string activation) : base(nameof(ClipMlp))
    {
        fc1 = Linear(hidden, intermediate);
        fc2 = Linear(intermediate, hidden);
        quickGelu = activation == "quick_gelu";
        RegisterComponents();
    }

    /// <param name="x">[B, N, H]</param>
    public override Tensor forward(Tensor x)
    {
        var h = fc1.call(x); // [B, N, I]
        // CLIP was trained with x·σ(1.702x), a cheaper GELU approximation; its weights expect exactly that.
        h = quickGelu ? h * sigmoid(h.Times(1.702)) : functional.gelu(h);
        return fc2.call(h); // [B, N, H]
    }
}
