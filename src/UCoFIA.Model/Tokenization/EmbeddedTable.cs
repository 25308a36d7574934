using System.Text.Json;

namespace UCoFIA.Model;

/// <summary>Opens the JSON tables that tools/parity/make_fixtures.py generates into Tokenization/Resources.</summary>
internal static class EmbeddedTable
{
    public static JsonDocument Open(string fileName)
    {
        var name = $"UCoFIA.Model.Tokenization.{fileName}";
        using var stream = typeof(EmbeddedTable).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from UCoFIA.Model.");
        return JsonDocument.Parse(stream);
    }
}
