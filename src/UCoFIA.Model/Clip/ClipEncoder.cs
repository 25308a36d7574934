using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>A stack of <see cref="ClipEncoderLayer"/>s under <c>layers.N</c>, as HF CLIPEncoder.</summary>
internal sealed class ClipEncoder : Module<Tensor, Tensor?, Tensor>
{
    private readonly ModuleList<ClipEncoderLayer> layers;

    public ClipEncoder(int hidden, int intermediate, int numHeads, int numLayers, bool causal, double eps, string activation)
        : base(nameof(ClipEncoder))
    {
        layers = new ModuleList<ClipEncoderLayer>(Enumerable.Range(0, numLayers)
            .Select(_ => new ClipEncoderLayer(hidden, intermediate, numHeads, causal, eps, activation)).ToArray());
        RegisterComponents();
    }

    /// <param name="x">[B, N, H]</param>
    /// <param name="additiveMask">[B, 1, 1, N] or null</param>
    public override Tensor forward(Tensor x, Tensor? additiveMask)
    {
        foreach (var layer in layers)
            x = layer.call(x, additiveMask); // [B, N, H]
        return x;
    }
}
