using static TorchSharp.torch;

namespace UCoFIA.Model.Tests;

public class ParameterLayoutTests
{
    /// <summary>Hugging Face CLIPModel's state-dict keys and shapes for a config (position_ids buffers aside).</summary>
    private static Dictionary<string, long[]> HfClipKeys(UCoFIAConfig c)
    {
        var keys = new Dictionary<string, long[]>
        {
            ["logit_scale"] = [],
            ["text_projection.weight"] = [c.ProjectionDim, c.Text.HiddenSize],
            ["visual_projection.weight"] = [c.ProjectionDim, c.Vision.HiddenSize],
            ["text_model.embeddings.token_embedding.weight"] = [c.Text.VocabSize, c.Text.HiddenSize],
            ["text_model.embeddings.position_embedding.weight"] = [c.Text.MaxPositions, c.Text.HiddenSize],
            ["text_model.final_layer_norm.weight"] = [c.Text.HiddenSize],
            ["text_model.final_layer_norm.bias"] = [c.Text.HiddenSize],
            ["vision_model.embeddings.class_embedding"] = [c.Vision.HiddenSize],
            ["vision_model.embeddings.patch_embedding.weight"] = [c.Vision.HiddenSize, 3, c.Vision.PatchSize, c.Vision.PatchSize],
            ["vision_model.embeddings.position_embedding.weight"] = [c.Vision.NumPatches + 1, c.Vision.HiddenSize],
            ["vision_model.pre_layrnorm.weight"] = [c.Vision.HiddenSize],
            ["vision_model.pre_layrnorm.bias"] = [c.Vision.HiddenSize],
            ["vision_model.post_layernorm.weight"] = [c.Vision.HiddenSize],
            ["vision_model.post_layernorm.bias"] = [c.Vision.HiddenSize],
        };
        AddLayers(keys, "text_model", c.Text.NumLayers, c.Text.HiddenSize, c.Text.IntermediateSize);
        AddLayers(keys, "vision_model", c.Vision.NumLayers, c.Vision.HiddenSize, c.Vision.IntermediateSize);
        return keys;
    }

    private static void AddLayers(Dictionary<string, long[]> keys, string tower, int layers, long h, long i)
    {
        for (var n = 0; n < layers; n++)
        {
            var p = $"{tower}.encoder.layers.{n}.";
            foreach (var proj in new[] { "q_proj", "k_proj", "v_proj", "out_proj" })
            {
                keys[$"{p}self_attn.{proj}.weight"] = [h, h];
                keys[$"{p}self_attn.{proj}.bias"] = [h];
            }
            foreach (var norm in new[] { "layer_norm1", "layer_norm2" })
            {
                keys[$"{p}{norm}.weight"] = [h];
                keys[$"{p}{norm}.bias"] = [h];
            }
            keys[$"{p}mlp.fc1.weight"] = [i, h];
            keys[$"{p}mlp.fc1.bias"] = [i];
            keys[$"{p}mlp.fc2.weight"] = [h, i];
            keys[$"{p}mlp.fc2.bias"] = [h];
        }
    }

    [Fact]
    public void StateDict_ClipPart_MatchesHuggingFaceNamesAndShapes()
    {
        var config = UCoFIAConfig.Tiny();
        using var module = new UCoFIAModule(config);
        var ours = module.state_dict()
            .Where(kv => !kv.Key.StartsWith("ucofia.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        var expected = HfClipKeys(config);
        Assert.Equal(expected.Keys.Order(), ours.Keys.Order());
        foreach (var (name, shape) in expected)
            Assert.True(shape.SequenceEqual(ours[name]), $"{name}: expected [{string.Join(", ", shape)}], got [{string.Join(", ", ours[name])}]");
    }

    [Fact]
    public void StateDict_Heads_LiveUnderTheUcofiaPrefixWithIdentityMatrices()
    {
        var config = UCoFIAConfig.Tiny();
        using var module = new UCoFIAModule(config);
        using var scope = NewDisposeScope();
        var heads = module.state_dict().Where(kv => kv.Key.StartsWith("ucofia.", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        var (d, f, l, p) = (config.ProjectionDim, config.Alignment.NumFrames, config.Text.MaxPositions, config.PatchStreamLength);
        var identities = new Dictionary<string, long>
        {
            ["ucofia.video_text_proj.weight"] = d, ["ucofia.video_proj.weight"] = d,
            ["ucofia.word_proj.weight"] = d, ["ucofia.patch_proj.weight"] = d,
            ["ucofia.frame_isa.weight"] = f,
            ["ucofia.bi_isa.word_isa.weight"] = l, ["ucofia.bi_isa.patch_isa_after_words.weight"] = p,
            ["ucofia.bi_isa.patch_isa.weight"] = p, ["ucofia.bi_isa.word_isa_after_patches.weight"] = l,
        };
        foreach (var (name, n) in identities)
            TestData.AssertClose(eye(n), heads[name], 0);
        Assert.Equal([(long)f, d], heads["ucofia.temporal.frame_position_embeddings.weight"].shape);
        Assert.Contains("ucofia.temporal.encoder.layers.0.self_attn.q_proj.weight", heads.Keys);
        Assert.Contains("ucofia.patch_selector.score_proj.weight", heads.Keys);
    }
}
