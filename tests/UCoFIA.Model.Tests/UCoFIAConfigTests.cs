namespace UCoFIA.Model.Tests;

public class UCoFIAConfigTests
{
    /// <summary>The shape of openai/clip-vit-base-patch32's config.json (abridged: generation keys dropped).</summary>
    private const string HfClipConfig = """
    {
      "_name_or_path": "openai/clip-vit-base-patch32",
      "architectures": ["CLIPModel"],
      "initializer_factor": 1.0,
      "logit_scale_init_value": 2.6592,
      "model_type": "clip",
      "projection_dim": 512,
      "text_config": {
        "attention_dropout": 0.0, "bos_token_id": 0, "dropout": 0.0, "eos_token_id": 2, "hidden_act": "quick_gelu",
        "hidden_size": 512, "id2label": {"0": "LABEL_0"}, "initializer_range": 0.02, "intermediate_size": 2048,
        "layer_norm_eps": 1e-05, "max_position_embeddings": 77, "model_type": "clip_text_model",
        "num_attention_heads": 8, "num_hidden_layers": 12, "pad_token_id": 1, "prefix": null, "projection_dim": 512,
        "torch_dtype": null, "transformers_version": "4.16.0.dev0", "vocab_size": 49408
      },
      "text_config_dict": null,
      "transformers_version": null,
      "vision_config": {
        "attention_dropout": 0.0, "dropout": 0.0, "hidden_act": "quick_gelu", "hidden_size": 768, "image_size": 224,
        "initializer_range": 0.02, "intermediate_size": 3072, "layer_norm_eps": 1e-05, "model_type": "clip_vision_model",
        "num_attention_heads": 12, "num_hidden_layers": 12, "patch_size": 32, "projection_dim": 512
      },
      "vision_config_dict": null
    }
    """;

    [Fact]
    public void Load_HuggingFaceClipConfig_ParsesTowersAndDefaultsTheHeads()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "config.json");
        File.WriteAllText(path, HfClipConfig);
        var config = UCoFIAConfig.Load(path);
        Assert.Equal(new TextConfig(), config.Text);
        Assert.Equal(new VisionConfig(), config.Vision);
        Assert.Equal(49, config.Vision.NumPatches);
        Assert.Equal(512, config.ProjectionDim);
        Assert.Equal(new AlignmentConfig(), config.Alignment);
        Assert.Equal(48, config.PatchStreamLength);
    }

    [Fact]
    public void Save_ThenLoad_GivesAnEqualConfig()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "config.json");
        var config = UCoFIAConfig.Tiny() with { Alignment = UCoFIAConfig.Tiny().Alignment with { Tau = 0.02, PatchSelectorVideoContext = false } };
        config.Save(path);
        Assert.Equal(config, UCoFIAConfig.Load(path));
    }

    [Fact]
    public void Validate_TopKAbovePatchCount_ThrowsNamingTheKey()
    {
        var config = UCoFIAConfig.Tiny() with { Alignment = new AlignmentConfig { TopKPatches = 100 } };
        var error = Assert.Throws<ArgumentException>(() => config.Validate());
        Assert.Contains("top_k_patches", error.Message, StringComparison.Ordinal);
    }
}
