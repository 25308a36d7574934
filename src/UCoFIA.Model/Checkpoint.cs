using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>Loads and saves the module's tensors as safetensors, by HF name, with shape checks.</summary>
internal static class Checkpoint
{
    public const string HeadsPrefix = "ucofia.";

    /// <summary>
    /// Copies every module tensor from the file (fp16 or fp32 on disk, fp32 in memory); keys the module does not
    /// have (e.g. HF's position_ids) are ignored. When the file has no <c>ucofia.*</c> tensor at all it is a plain
    /// CLIP checkpoint and the heads keep their current values; otherwise every tensor must be present.
    /// </summary>
    /// <returns>whether the file carried the UCoFIA heads</returns>
    public static bool Load(nn.Module module, string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No checkpoint at {path} (a model folder needs model.safetensors)", path);
        var tensors = Safetensors.LoadStateDict(path);
        try
        {
            var hasHeads = tensors.Keys.Any(k => k.StartsWith(HeadsPrefix, StringComparison.Ordinal));
            using var _ = no_grad();
            foreach (var (name, target) in module.state_dict())
            {
                if (!tensors.TryGetValue(name, out var source))
                {
                    if (!hasHeads && name.StartsWith(HeadsPrefix, StringComparison.Ordinal))
                        continue;
                    throw new InvalidDataException($"Checkpoint {path} is missing tensor '{name}'");
                }
                if (!source.shape.SequenceEqual(target.shape))
                    throw new InvalidDataException(
                        $"Checkpoint tensor '{name}' has shape [{string.Join(", ", source.shape)}], the config expects [{string.Join(", ", target.shape)}]");
                target.copy_(source.to(target.dtype));
            }
            return hasHeads;
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
