using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>
/// The state dict the authors' training script (Ziyang412/UCoFiA, <c>train/main_ucofia.py</c>) saves: openai CLIP
/// under <c>clip.</c> and their heads by their own names. Maps it to this project's names and derives the config
/// from the tensor shapes. The scores follow their evaluation code (<c>eval_t2v/modules/modeling_ucofia.py</c>).
/// </summary>
internal static class AuthorsCheckpoint
{
    public const string ClipPrefix = "clip.";
    private const string Selector = "visual_token_selector.score_predictor.";

    public static bool Recognises(IReadOnlyDictionary<string, Tensor> source) =>
        source.ContainsKey(ClipPrefix + "visual.proj") && source.ContainsKey("frame_logit_weight");

    /// <param name="patchShiftLayers">ViT blocks with the patch shift, counted from the last (their
    /// make_patch_shift wraps blocks 10 and 11, the last two of ViT-B/32)</param>
    public static UCoFIAConfig Config(IReadOnlyDictionary<string, Tensor> source, int patchShiftLayers)
    {
        var clip = OpenAiClipConfig.From(source, ClipPrefix);
        var frames = (int)source["frame_logit_weight"].shape[0];
        return (clip with
        {
            // Their loader frames max_words positions, and their word ISA matrices have that size.
            Text = clip.Text with { MaxPositions = (int)source["word_mat_weight"].shape[0] },
            Vision = clip.Vision with { PatchShiftLayers = patchShiftLayers, PatchShiftDiv = 7 },
            Temporal = new TemporalConfig
            {
                NumLayers = OpenAiClipNames.CountBlocks(source, "transformerClip.resblocks."),
                NumHeads = clip.Text.HiddenSize / 64, // their transformer_heads
            },
            Alignment = clip.Alignment with
            {
                NumFrames = frames,
                TopKPatches = (int)source["pixel_mat_weight"].shape[0] / frames - 1,
                PatchSelectorHidden = (int)source[Selector + "in_conv.1.weight"].shape[0],
                PatchSelectorVideoContext = true,
                PatchSelectorClassTokenFirst = true,
                AuthorsPatchWord = true,
            },
        }).Validate();
    }

    /// <returns>new tensors under this project's names, CLIP's and the heads</returns>
    public static Dictionary<string, Tensor> Map(IReadOnlyDictionary<string, Tensor> source, UCoFIAConfig config)
    {
        var tensors = OpenAiClipNames.Map(source, ClipPrefix, config.Text.MaxPositions);
        Tensor Get(string name) => source.TryGetValue(name, out var t)
            ? t.to(ScalarType.Float32)
            : throw new InvalidDataException($"the authors' checkpoint has no '{name}'");
        // Their Embedding has 77 rows (the text context); only the first F are ever looked up.
        tensors["ucofia.temporal.frame_position_embeddings.weight"] = Get("frame_position_embeddings.weight")[..config.Alignment.NumFrames].contiguous();
        OpenAiClipNames.MapBlocks(source, "transformerClip.resblocks.", "ucofia.temporal.encoder.layers.", tensors);
        tensors["ucofia.patch_selector.norm.weight"] = Get(Selector + "in_conv.0.weight");
        tensors["ucofia.patch_selector.norm.bias"] = Get(Selector + "in_conv.0.bias");
        tensors["ucofia.patch_selector.in_proj.weight"] = Get(Selector + "in_conv.1.weight");
        tensors["ucofia.patch_selector.hidden_proj.weight"] = Get(Selector + "out_conv.0.weight");
        tensors["ucofia.patch_selector.score_proj.weight"] = Get(Selector + "out_conv.2.weight");
        // ISA matrices multiply from the right (softmax · W) on both sides: no transpose.
        tensors["ucofia.frame_isa.weight"] = Get("frame_logit_weight");
        tensors["ucofia.bi_isa.word_isa.weight"] = Get("word_mat_weight");
        tensors["ucofia.bi_isa.patch_isa_after_words.weight"] = Get("pixel_mat_weight2");
        tensors["ucofia.bi_isa.patch_isa.weight"] = Get("pixel_mat_weight");
        tensors["ucofia.bi_isa.word_isa_after_patches.weight"] = Get("word_mat_weight2");
        // Their D×D maps act as x @ W; ours are Linear weights (x · Wᵀ).
        tensors["ucofia.video_text_proj.weight"] = Get("global_mat_weight").t().contiguous();
        tensors["ucofia.video_proj.weight"] = Get("global_mat_weight_1").t().contiguous();
        tensors["ucofia.word_proj.weight"] = Get("local_mat_weight").t().contiguous();
        // Their evaluation never applies local_mat_weight1 (only the training forward does): identity here.
        tensors["ucofia.patch_proj.weight"] = eye(config.ProjectionDim);
        return tensors;
    }
}
