using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>A CLIP ViT model's shape read off openai's state dict, as openai's <c>build_model</c> reads it
/// (heads = width / 64, MLP = 4 · width).</summary>
internal static class OpenAiClipConfig
{
    public static UCoFIAConfig From(IReadOnlyDictionary<string, Tensor> source, string prefix)
    {
        long[] Shape(string name) => source.TryGetValue(prefix + name, out var t)
            ? t.shape
            : throw new InvalidDataException($"the CLIP checkpoint has no '{prefix}{name}' (only ViT models are supported)");
        var textWidth = (int)Shape("ln_final.weight")[0];
        var visionWidth = (int)Shape("visual.conv1.weight")[0];
        var patch = (int)Shape("visual.conv1.weight")[^1];
        var grid = (int)Math.Round(Math.Sqrt(Shape("visual.positional_embedding")[0] - 1));
        return new UCoFIAConfig
        {
            Text = new TextConfig
            {
                VocabSize = (int)Shape("token_embedding.weight")[0],
                HiddenSize = textWidth,
                IntermediateSize = 4 * textWidth,
                NumHeads = textWidth / 64,
                NumLayers = OpenAiClipNames.CountBlocks(source, prefix + "transformer.resblocks."),
                MaxPositions = (int)Shape("positional_embedding")[0],
            },
            Vision = new VisionConfig
            {
                ImageSize = patch * grid,
                PatchSize = patch,
                HiddenSize = visionWidth,
                IntermediateSize = 4 * visionWidth,
                NumHeads = visionWidth / 64,
                NumLayers = OpenAiClipNames.CountBlocks(source, prefix + "visual.transformer.resblocks."),
            },
            ProjectionDim = (int)Shape("text_projection")[1],
            LogitScaleInit = source[prefix + "logit_scale"].to(ScalarType.Float32).item<float>(),
        }.Validate();
    }
}
