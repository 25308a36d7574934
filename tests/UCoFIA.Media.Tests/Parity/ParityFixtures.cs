using System.Text.Json;

namespace UCoFIA.Media.Tests.Parity;

/// <summary>The golden files tools/parity/make_fixtures.py wrote from torchvision and CLIP, copied next to the tests.</summary>
internal static class ParityFixtures
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures", "parity");

    public static string PathOf(string name) => Path.Combine(Folder, name);

    public static JsonElement Read(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf(name)));
        return document.RootElement.Clone();
    }
}
