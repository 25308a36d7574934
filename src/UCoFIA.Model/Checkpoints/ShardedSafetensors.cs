using System.Text.Json.Nodes;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>Reads a safetensors checkpoint split into shards, as <c>model.safetensors.index.json</c>'s
/// <c>weight_map</c> (tensor name → shard file) lays it out.</summary>
internal static class ShardedSafetensors
{
    public const string IndexFile = "model.safetensors.index.json";

    /// <returns>every tensor by name; the caller owns them</returns>
    public static Dictionary<string, Tensor> Load(string indexPath)
    {
        var map = JsonNode.Parse(File.ReadAllText(indexPath))?["weight_map"] as JsonObject
            ?? throw new InvalidDataException($"{indexPath} has no weight_map");
        var folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var shard in map.Select(kv => kv.Value?.GetValue<string>()
                     ?? throw new InvalidDataException($"{indexPath}: no shard for '{kv.Key}'")).Distinct(StringComparer.Ordinal))
        {
            foreach (var (name, tensor) in Safetensors.LoadStateDict(Path.Combine(folder, shard)))
                tensors[name] = tensor;
        }
        var missing = map.Select(kv => kv.Key).FirstOrDefault(name => !tensors.ContainsKey(name));
        if (missing is not null)
            throw new InvalidDataException($"{indexPath} maps '{missing}' to a shard that does not hold it");
        return tensors;
    }
}
