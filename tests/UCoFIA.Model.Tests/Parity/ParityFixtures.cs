using System.Text.Json;

namespace UCoFIA.Model.Tests.Parity;

/// <summary>The golden files tools/parity/make_fixtures.py wrote from the reference code, copied next to the tests.</summary>
internal static class ParityFixtures
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures", "parity");

    public static JsonDocument Read(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name)));

    /// <summary>openai's real 49,408-token vocabulary in HF's vocab.json + merges.txt layout.</summary>
    public static ClipTokenizer RealClipTokenizer(int maxLength) =>
        ClipTokenizer.Load(Path.Combine(Folder, "clip", "vocab.json"), Path.Combine(Folder, "clip", "merges.txt"), maxLength);
}
