using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>Class token, non-overlapping patch convolution and position embeddings (HF CLIPVisionEmbeddings).</summary>
internal sealed class ClipVisionEmbeddings : Module<Tensor, Tensor>
{
    private readonly Parameter class_embedding;
    private readonly Conv2d patch_embedding;
    private readonly Embedding position_embedding;

    public ClipVisionEmbeddings(VisionConfig config) : base(nameof(ClipVisionEmbeddings))
    {
        class_embedding = Parameter(randn(config.HiddenSize));
        patch_embedding = Conv2d(3, config.HiddenSize, config.PatchSize, stride: config.PatchSize, bias: false);
        position_embedding = Embedding(config.NumPatches + 1, config.HiddenSize);
        RegisterComponents();
    }

    /// <param name="pixels">[N, 3, S, S] CLIP-normalised</param>
    public override Tensor forward(Tensor pixels)
    {
        var n = pixels.shape[0];
        var patches = patch_embedding.call(pixels).flatten(2).transpose(1, 2); // [N, P, Hv]
        var cls = class_embedding.view(1, 1, -1).expand(n, 1, -1); // [N, 1, Hv]
        var positions = ScalarOps.Arange(patches.shape[1] + 1, pixels.device); // [1+P]
        return cat([cls, patches], 1).Plus(position_embedding.call(positions).unsqueeze(0)); // [N, 1+P, Hv]
    }
}
