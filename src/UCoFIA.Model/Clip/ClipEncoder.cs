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
    public override Tensor forward(Tensor x, Tensor? additiveMask) => Forward(x, additiveMask, null, 0);

    /// <param name="x">[B, N, H]</param>
    /// <param name="additiveMask">[B, 1, 1, N] or null</param>
    /// <param name="shift">patch shift for the last <paramref name="shiftedLayers"/> layers, or null</param>
    public Tensor Forward(Tensor x, Tensor? additiveMask, PatchShift? shift, int shiftedLayers)
    {
        for (var i = 0; i < layers.Count; i++)
            x = layers[i].Forward(x, additiveMask, i >= layers.Count - shiftedLayers ? shift : null); // [B, N, H]
        return x;
    }
}
