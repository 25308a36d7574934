using System.Security.Cryptography;

namespace UCoFIA.Model;

/// <summary>
/// What identifies a model's features: a SHA-256 over its config, tokenizer and weight files. Two folders with the
/// same fingerprint encode every text and video identically; features of different fingerprints must never be
/// compared. The query bank (<c>sk_bank.txt</c>) and training notes do not change features and are left out.
/// </summary>
public static class ModelFingerprint
{
    private static readonly string[] FeatureFiles = ["config.json", "vocab.json", "merges.txt"];
    private static readonly string[] WeightPatterns = ["*.safetensors", "*.safetensors.index.json", "*.bin"];

    /// <returns>The first 16 bytes of the hash, lower-case hex.</returns>
    public static string Of(string folder)
    {
        var files = FeatureFiles.Select(f => Path.Combine(folder, f)).Where(File.Exists)
            .Concat(WeightPatterns.SelectMany(p => Directory.GetFiles(folder, p)))
            .Distinct()
            .OrderBy(Path.GetFileName, StringComparer.Ordinal)
            .ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        foreach (var file in files)
        {
            // The name goes in too, so that renaming a file between the roles above changes the fingerprint.
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\0"));
            using var stream = File.OpenRead(file);
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }
}
