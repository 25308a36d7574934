using System.Text.Json;
using System.Text.Json.Nodes;

namespace UCoFIA.Model;

/// <summary>
/// The whole model's shape. On disk it is a Hugging Face CLIP config.json (nested <c>text_config</c> and
/// <c>vision_config</c> with HF key names) plus a <c>ucofia</c> section, so a plain HF CLIP folder parses
/// (the section is then absent and the paper's defaults apply).
/// </summary>
public sealed record UCoFIAConfig
{
    public TextConfig Text { get; init; } = new();
    public VisionConfig Vision { get; init; } = new();
    public TemporalConfig Temporal { get; init; } = new();
    public AlignmentConfig Alignment { get; init; } = new();

    /// <summary>D: width of every feature the model hands out.</summary>
    public int ProjectionDim { get; init; } = 512;

    /// <summary>Initial log of CLIP's logit scale (ln(1/0.07)).</summary>
    public double LogitScaleInit { get; init; } = 2.6592;

    /// <summary>Width of the patch scorer's hidden layer after resolving the 0 default.</summary>
    public int PatchSelectorHidden => Alignment.PatchSelectorHidden > 0 ? Alignment.PatchSelectorHidden : ProjectionDim / 2;

    /// <summary>F·(1+K): tokens in a video's patch stream (class token plus K patches per frame).</summary>
    public int PatchStreamLength => Alignment.NumFrames * (1 + Alignment.TopKPatches);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent value.</summary>
    public UCoFIAConfig Validate()
    {
        Require(Text.HiddenSize % Text.NumHeads == 0, "text hidden_size must be divisible by num_attention_heads");
        Require(Vision.HiddenSize % Vision.NumHeads == 0, "vision hidden_size must be divisible by num_attention_heads");
        Require(ProjectionDim % Temporal.NumHeads == 0, "projection_dim must be divisible by ucofia.temporal_heads");
        Require(Vision.ImageSize % Vision.PatchSize == 0, "image_size must be a multiple of patch_size");
        Require(Text.MaxPositions >= 2, "max_position_embeddings must hold the start and end tokens");
        Require(Alignment.NumFrames >= 1, "ucofia.num_frames must be positive");
        Require(Alignment.TopKPatches >= 1 && Alignment.TopKPatches <= Vision.NumPatches,
            "ucofia.top_k_patches must be between 1 and the number of patches per frame");
        Require(Alignment.Tau > 0, "ucofia.tau must be positive");
        Require(!Alignment.PatchSelectorClassTokenFirst || Alignment.PatchSelectorVideoContext,
            "ucofia.patch_selector_class_token_first needs patch_selector_video_context");
        Require(Vision.PatchShiftLayers >= 0 && Vision.PatchShiftLayers <= Vision.NumLayers,
            "vision patch_shift_layers must be between 0 and num_hidden_layers");
        Require(Vision.PatchShiftLayers == 0 || (Vision.PatchShiftDiv >= 1 && Vision.PatchShiftDiv <= Vision.NumPatches + 1),
            "vision patch_shift_div must be between 1 and the number of tokens per frame");
        Require(Alignment.PerturbedSamples >= 1 && Alignment.PerturbedSigma > 0,
            "ucofia.perturbed_samples and perturbed_sigma must be positive");
        Require(Text.HiddenAct is "quick_gelu" or "gelu" && Vision.HiddenAct is "quick_gelu" or "gelu",
            "hidden_act must be quick_gelu or gelu");
        return this;
    }

    /// <summary>A very small model for tests: runs a full forward in milliseconds on one core.</summary>
    public static UCoFIAConfig Tiny(int vocabSize = 520) => new UCoFIAConfig
    {
        Text = new TextConfig { VocabSize = vocabSize, HiddenSize = 32, IntermediateSize = 128, NumHeads = 2, NumLayers = 2, MaxPositions = 12 },
        Vision = new VisionConfig { ImageSize = 32, PatchSize = 8, HiddenSize = 32, IntermediateSize = 64, NumHeads = 2, NumLayers = 2 },
        Temporal = new TemporalConfig { NumLayers = 1, NumHeads = 2 },
        Alignment = new AlignmentConfig { NumFrames = 4, TopKPatches = 2, PerturbedSamples = 16 },
        ProjectionDim = 32,
    }.Validate();

    public static UCoFIAConfig Load(string configJsonPath)
    {
        var root = JsonNode.Parse(File.ReadAllText(configJsonPath))?.AsObject()
            ?? throw new InvalidDataException($"{configJsonPath} is not a JSON object");
        return FromJson(root);
    }

    public void Save(string path) => File.WriteAllText(path, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    internal static UCoFIAConfig FromJson(JsonObject root)
    {
        // Old HF exports keep the real values in *_config_dict and defaults in *_config.
        var text = Section(root, "text_config_dict") ?? Section(root, "text_config") ?? [];
        var vision = Section(root, "vision_config_dict") ?? Section(root, "vision_config") ?? [];
        var ucofia = Section(root, "ucofia") ?? [];
        var t = new TextConfig();
        var v = new VisionConfig();
        var tc = new TemporalConfig();
        var a = new AlignmentConfig();
        var projection = Int(root, "projection_dim", 512);
        return new UCoFIAConfig
        {
            Text = new TextConfig
            {
                VocabSize = Int(text, "vocab_size", t.VocabSize),
                HiddenSize = Int(text, "hidden_size", t.HiddenSize),
                IntermediateSize = Int(text, "intermediate_size", t.IntermediateSize),
                NumHeads = Int(text, "num_attention_heads", t.NumHeads),
                NumLayers = Int(text, "num_hidden_layers", t.NumLayers),
                MaxPositions = Int(text, "max_position_embeddings", t.MaxPositions),
                LayerNormEps = Double(text, "layer_norm_eps", t.LayerNormEps),
                HiddenAct = Str(text, "hidden_act", t.HiddenAct),
            },
            Vision = new VisionConfig
            {
                ImageSize = Int(vision, "image_size", v.ImageSize),
                PatchSize = Int(vision, "patch_size", v.PatchSize),
                HiddenSize = Int(vision, "hidden_size", v.HiddenSize),
                IntermediateSize = Int(vision, "intermediate_size", v.IntermediateSize),
                NumHeads = Int(vision, "num_attention_heads", v.NumHeads),
                NumLayers = Int(vision, "num_hidden_layers", v.NumLayers),
                LayerNormEps = Double(vision, "layer_norm_eps", v.LayerNormEps),
                HiddenAct = Str(vision, "hidden_act", v.HiddenAct),
                PatchShiftLayers = Int(vision, "patch_shift_layers", v.PatchShiftLayers),
                PatchShiftDiv = Int(vision, "patch_shift_div", v.PatchShiftDiv),
            },
            Temporal = new TemporalConfig
            {
                NumLayers = Int(ucofia, "temporal_layers", tc.NumLayers),
                NumHeads = Int(ucofia, "temporal_heads", tc.NumHeads),
            },
            Alignment = new AlignmentConfig
            {
                NumFrames = Int(ucofia, "num_frames", a.NumFrames),
                TopKPatches = Int(ucofia, "top_k_patches", a.TopKPatches),
                Tau = Double(ucofia, "tau", a.Tau),
                SinkhornIterations = Int(ucofia, "sinkhorn_iterations", a.SinkhornIterations),
                PatchSelectorHidden = Int(ucofia, "patch_selector_hidden", a.PatchSelectorHidden),
                PatchSelectorVideoContext = Bool(ucofia, "patch_selector_video_context", a.PatchSelectorVideoContext),
                PatchSelectorClassTokenFirst = Bool(ucofia, "patch_selector_class_token_first", a.PatchSelectorClassTokenFirst),
                PerturbedSamples = Int(ucofia, "perturbed_samples", a.PerturbedSamples),
                PerturbedSigma = Double(ucofia, "perturbed_sigma", a.PerturbedSigma),
                AuthorsPatchWord = Bool(ucofia, "authors_patch_word", a.AuthorsPatchWord),
            },
            ProjectionDim = projection,
            LogitScaleInit = Double(root, "logit_scale_init_value", 2.6592),
        }.Validate();
    }

    internal JsonObject ToJson() => new()
    {
        ["architectures"] = new JsonArray("CLIPModel"),
        ["model_type"] = "clip",
        ["projection_dim"] = ProjectionDim,
        ["logit_scale_init_value"] = LogitScaleInit,
        ["text_config"] = new JsonObject
        {
            ["vocab_size"] = Text.VocabSize,
            ["hidden_size"] = Text.HiddenSize,
            ["intermediate_size"] = Text.IntermediateSize,
            ["num_attention_heads"] = Text.NumHeads,
            ["num_hidden_layers"] = Text.NumLayers,
            ["max_position_embeddings"] = Text.MaxPositions,
            ["layer_norm_eps"] = Text.LayerNormEps,
            ["hidden_act"] = Text.HiddenAct,
            ["projection_dim"] = ProjectionDim,
        },
        ["vision_config"] = new JsonObject
        {
            ["image_size"] = Vision.ImageSize,
            ["patch_size"] = Vision.PatchSize,
            ["hidden_size"] = Vision.HiddenSize,
            ["intermediate_size"] = Vision.IntermediateSize,
            ["num_attention_heads"] = Vision.NumHeads,
            ["num_hidden_layers"] = Vision.NumLayers,
            ["layer_norm_eps"] = Vision.LayerNormEps,
            ["hidden_act"] = Vision.HiddenAct,
            ["projection_dim"] = ProjectionDim,
            ["patch_shift_layers"] = Vision.PatchShiftLayers,
            ["patch_shift_div"] = Vision.PatchShiftDiv,
        },
        ["ucofia"] = new JsonObject
        {
            ["temporal_layers"] = Temporal.NumLayers,
            ["temporal_heads"] = Temporal.NumHeads,
            ["num_frames"] = Alignment.NumFrames,
            ["top_k_patches"] = Alignment.TopKPatches,
            ["tau"] = Alignment.Tau,
            ["sinkhorn_iterations"] = Alignment.SinkhornIterations,
            ["patch_selector_hidden"] = Alignment.PatchSelectorHidden,
            ["patch_selector_video_context"] = Alignment.PatchSelectorVideoContext,
            ["patch_selector_class_token_first"] = Alignment.PatchSelectorClassTokenFirst,
            ["perturbed_samples"] = Alignment.PerturbedSamples,
            ["perturbed_sigma"] = Alignment.PerturbedSigma,
            ["authors_patch_word"] = Alignment.AuthorsPatchWord,
        },
    };

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException($"Invalid UCoFIA config: {message}");
    }

    private static JsonObject? Section(JsonObject root, string key) => root[key] as JsonObject;

    private static int Int(JsonObject o, string key, int fallback) => o[key] is JsonValue v ? v.GetValue<int>() : fallback;

    private static double Double(JsonObject o, string key, double fallback) =>
        o[key] is JsonValue v ? v.GetValue<double>() : fallback;

    private static bool Bool(JsonObject o, string key, bool fallback) => o[key] is JsonValue v ? v.GetValue<bool>() : fallback;

    private static string Str(JsonObject o, string key, string fallback) => o[key] is JsonValue v ? v.GetValue<string>() : fallback;
}
