using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>
/// Turns a <c>torch.save</c> checkpoint into the HF-layout folder <see cref="UCoFIAModel.Load"/> reads: the
/// authors' UCoFiA state dict (heads included) or openai's CLIP (zero-shot).
/// </summary>
public static class CheckpointConverter
{
    /// <param name="checkpoint">a torch.save state dict (zip format)</param>
    /// <param name="tokenizerFolder">holds the vocab.json and merges.txt to ship (e.g. openai/clip-vit-base-patch32's)</param>
    /// <param name="output">created if missing; gets config.json, model.safetensors, vocab.json, merges.txt</param>
    /// <param name="patchShiftLayers">authors' checkpoints: ViT blocks, from the last, that carry the patch shift</param>
    /// <returns>a one-line description of what was converted</returns>
    public static string Convert(string checkpoint, string tokenizerFolder, string output, bool fp16 = true, int patchShiftLayers = 2)
    {
        using var scope = NewDisposeScope();
        var source = TorchPickleStateDict.Load(checkpoint);
        var authors = AuthorsCheckpoint.Recognises(source);
        if (!authors && !source.ContainsKey("visual.proj"))
            throw new InvalidDataException($"{checkpoint} is neither the authors' UCoFiA state dict nor an openai CLIP ViT one");
        var config = authors ? AuthorsCheckpoint.Config(source, patchShiftLayers) : OpenAiClipConfig.From(source, "");
        var tensors = authors ? AuthorsCheckpoint.Map(source, config) : OpenAiClipNames.Map(source, "", config.Text.MaxPositions);
        Directory.CreateDirectory(output);
        config.Save(Path.Combine(output, UCoFIAModel.ConfigFile));
        Safetensors.SaveStateDict(Path.Combine(output, UCoFIAModel.WeightsFile),
            tensors.ToDictionary(kv => kv.Key, kv => kv.Value.to(fp16 ? ScalarType.Float16 : ScalarType.Float32).contiguous()));
        foreach (var file in new[] { UCoFIAModel.VocabFile, UCoFIAModel.MergesFile })
            File.Copy(Path.Combine(tokenizerFolder, file), Path.Combine(output, file), overwrite: true);
        // Loading once checks every name and shape against the derived config.
        using var model = UCoFIAModel.Load(output, "cpu");
        return $"{(authors ? "UCoFiA (authors' heads)" : "openai CLIP (zero-shot)")}: {tensors.Count} tensors, " +
               $"D = {config.ProjectionDim}, L = {config.Text.MaxPositions}, F = {config.Alignment.NumFrames}, K = {config.Alignment.TopKPatches}";
    }
}
