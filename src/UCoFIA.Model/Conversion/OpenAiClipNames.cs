using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>
/// openai/CLIP's state-dict names to Hugging Face CLIPModel's, as transformers'
/// <c>convert_clip_original_pytorch_to_hf.py</c> maps them: <c>in_proj</c> split into q/k/v, the two projection
/// matrices transposed (openai multiplies <c>x @ proj</c>, HF's Linear computes <c>x · Wᵀ</c>).
/// </summary>
internal static class OpenAiClipNames
{
    /// <param name="source">openai's tensors, each name after <paramref name="prefix"/> (the authors' <c>clip.</c>)</param>
    /// <param name="textPositions">text positions to keep (the authors use the first max_words of 77)</param>
    /// <returns>new tensors under HF names</returns>
    public static Dictionary<string, Tensor> Map(IReadOnlyDictionary<string, Tensor> source, string prefix, int textPositions)
    {
        Tensor Get(string name) => source.TryGetValue(prefix + name, out var t)
            ? t.to(ScalarType.Float32)
            : throw new InvalidDataException($"the CLIP checkpoint has no '{prefix}{name}'");
        var hf = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["logit_scale"] = Get("logit_scale").reshape([]),
            ["text_projection.weight"] = Get("text_projection").t().contiguous(), // [D, Ht]
            ["visual_projection.weight"] = Get("visual.proj").t().contiguous(), // [D, Hv]
            ["text_model.embeddings.token_embedding.weight"] = Get("token_embedding.weight"),
            ["text_model.embeddings.position_embedding.weight"] = Get("positional_embedding")[..textPositions].contiguous(), // [L, Ht]
            ["text_model.final_layer_norm.weight"] = Get("ln_final.weight"),
            ["text_model.final_layer_norm.bias"] = Get("ln_final.bias"),
            ["vision_model.embeddings.class_embedding"] = Get("visual.class_embedding"),
            ["vision_model.embeddings.patch_embedding.weight"] = Get("visual.conv1.weight"),
            ["vision_model.embeddings.position_embedding.weight"] = Get("visual.positional_embedding"),
            ["vision_model.pre_layrnorm.weight"] = Get("visual.ln_pre.weight"),
            ["vision_model.pre_layrnorm.bias"] = Get("visual.ln_pre.bias"),
            ["vision_model.post_layernorm.weight"] = Get("visual.ln_post.weight"),
            ["vision_model.post_layernorm.bias"] = Get("visual.ln_post.bias"),
        };
        MapBlocks(source, prefix + "transformer.resblocks.", "text_model.encoder.layers.", hf);
        MapBlocks(source, prefix + "visual.transformer.resblocks.", "vision_model.encoder.layers.", hf);
        return hf;
    }

    /// <summary>Maps openai's <c>ResidualAttentionBlock</c>s under <paramref name="from"/> to HF CLIPEncoderLayers
    /// under <paramref name="to"/>; the authors' temporal blocks have the same layout.</summary>
    public static void MapBlocks(IReadOnlyDictionary<string, Tensor> source, string from, string to, Dictionary<string, Tensor> target)
    {
        for (var i = 0; i < CountBlocks(source, from); i++)
        {
            var (s, t) = ($"{from}{i}.", $"{to}{i}.");
            Tensor Get(string name) => source[s + name].to(ScalarType.Float32);
            var weights = Get("attn.in_proj_weight").chunk(3, 0); // 3 × [H, H]: q, k, v
            var biases = Get("attn.in_proj_bias").chunk(3, 0); // 3 × [H]
            string[] qkv = ["q_proj", "k_proj", "v_proj"];
            for (var j = 0; j < 3; j++)
            {
                target[$"{t}self_attn.{qkv[j]}.weight"] = weights[j].contiguous();
                target[$"{t}self_attn.{qkv[j]}.bias"] = biases[j].contiguous();
            }
            foreach (var (ours, theirs) in BlockNames)
            {
                target[$"{t}{ours}.weight"] = Get($"{theirs}.weight");
                target[$"{t}{ours}.bias"] = Get($"{theirs}.bias");
            }
        }
    }

    private static readonly (string Ours, string Theirs)[] BlockNames =
    [
        ("self_attn.out_proj", "attn.out_proj"), ("layer_norm1", "ln_1"), ("layer_norm2", "ln_2"),
        ("mlp.fc1", "mlp.c_fc"), ("mlp.fc2", "mlp.c_proj"),
    ];

    /// <summary>Number of blocks <c>{prefix}N.attn.in_proj_weight</c>.</summary>
    public static int CountBlocks(IReadOnlyDictionary<string, Tensor> source, string prefix)
    {
        var n = 0;
        while (source.ContainsKey($"{prefix}{n}.attn.in_proj_weight"))
            n++;
        return n;
    }
}
