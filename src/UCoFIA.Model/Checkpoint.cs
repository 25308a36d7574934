using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>Loads and saves the module's tensors by HF name, with shape checks.</summary>
internal static class Checkpoint
{
    public const string HeadsPrefix = "ucofia.";
    public const string PickleFile = "pytorch_model.bin";

    /// <summary>
    /// Reads a model folder's weights: <c>model.safetensors</c>, else the shards of
    /// <c>model.safetensors.index.json</c>, else HF's <c>pytorch_model.bin</c>.
    /// </summary>
    /// <returns>every tensor by name; the caller owns them</returns>
    public static Dictionary<string, Tensor> Read(string folder)
    {
        var single = Path.Combine(folder, UCoFIAModel.WeightsFile);
        if (File.Exists(single))
            return Safetensors.LoadStateDict(single);
        var index = Path.Combine(folder, ShardedSafetensors.IndexFile);
        if (File.Exists(index))
            return ShardedSafetensors.Load(index);
        var pickle = Path.Combine(folder, PickleFile);
        if (File.Exists(pickle))
            return TorchPickleStateDict.Load(pickle);
        throw new FileNotFoundException(
            $"No checkpoint in {folder} (a model folder needs {UCoFIAModel.WeightsFile}, {ShardedSafetensors.IndexFile} or {PickleFile})", single);
    }

    /// <summary>
    /// Copies every module tensor from <paramref name="tensors"/> (any float dtype, converted to the module's);
    /// keys the module does not have (e.g. HF's position_ids) are ignored. Without any <c>ucofia.*</c> tensor
    /// the source is a plain CLIP checkpoint and the heads keep their current values; otherwise every tensor
    /// must be present.
    /// </summary>
    /// <returns>whether the tensors carried the UCoFIA heads</returns>
    public static bool Copy(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var hasHeads = tensors.Keys.Any(k => k.StartsWith(HeadsPrefix, StringComparison.Ordinal));
        using var _ = no_grad();
        foreach (var (name, target) in module.state_dict())
        {
            if (!tensors.TryGetValue(name, out var tensor))
            {
                if (!hasHeads && name.StartsWith(HeadsPrefix, StringComparison.Ordinal))
                    continue;
                throw new InvalidDataException($"Checkpoint {source} is missing tensor '{name}'");
            }
            if (!tensor.shape.SequenceEqual(target.shape))
                throw new InvalidDataException(
                    $"Checkpoint tensor '{name}' has shape [{string.Join(", ", tensor.shape)}], the config expects [{string.Join(", ", target.shape)}]");
            target.copy_(tensor.to(target.dtype));
        }
        return hasHeads;
    }

    /// <summary><see cref="Read"/> then <see cref="Copy"/>, disposing what was read.</summary>
    public static bool Load(nn.Module module, string folder)
    {
        var tensors = Read(folder);
        try
        {
            return Copy(module, tensors, folder);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
        }
    }

    public static void Save(nn.Module module, string path, bool fp16)
    {
        using var scope = NewDisposeScope();
        var tensors = module.state_dict().ToDictionary(
            kv => kv.Key,
            kv => fp16 ? kv.Value.detach().cpu().to(ScalarType.Float16) : kv.Value.detach().cpu().contiguous());
        Safetensors.SaveStateDict(path, tensors);
    }
}
