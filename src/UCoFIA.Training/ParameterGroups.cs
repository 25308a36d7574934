using UCoFIA.Model;
using static TorchSharp.torch;

namespace UCoFIA.Training;

/// <summary>
/// The optimiser's parameter groups: the CLIP towers (when fine-tuning from CLIP) apart from the UCoFIA heads, and in
/// each of them the matrices, which are weight-decayed, apart from gains, biases and the logit scale, which are not.
/// </summary>
/// <remarks>
/// CLIP and CLIP4Clip (the authors' trainer) exclude every parameter of fewer than two dimensions from weight decay.
/// Decaying them too pulled the first stream-trained default model's LayerNorm gains to about 0.9 and its logit scale
/// down from 14.3 to 12.8, a softer softmax than it started with, instead of the sharper one contrastive training
/// learns.
/// </remarks>
public static class ParameterGroups
{
    public static ScalarSafeAdamW.Group[] For(UCoFIAModel model, TrainOptions options)
    {
        var clipTowers = options.InitFrom is not null;
        return model.NamedParameters()
            .GroupBy(p => (Tower: clipTowers && !p.Name.StartsWith("ucofia.", StringComparison.Ordinal), Decayed: p.Parameter.dim() >= 2))
            .Select(g => new ScalarSafeAdamW.Group(g.Select(p => (Tensor)p.Parameter).ToArray(),
                g.Key.Tower ? options.ClipLearningRate : options.LearningRate, g.Key.Decayed ? options.WeightDecay : 0))
            .ToArray();
    }
}
