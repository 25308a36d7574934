using System.Globalization;

namespace UCoFIA.Model;

/// <summary>Python's html module tables: the HTML5 named references and its numeric-reference exceptions.</summary>
internal sealed class HtmlEntityTables
{
    private static readonly Lazy<HtmlEntityTables> instance = new(Load);

    private HtmlEntityTables(IReadOnlyDictionary<string, string> html5, IReadOnlyDictionary<int, string> remapped, IReadOnlySet<int> dropped)
    {
        Html5 = html5;
        Remapped = remapped;
        Dropped = dropped;
    }

    public static HtmlEntityTables Instance => instance.Value;

    /// <summary>html.entities.html5: names, some with and some without the trailing semicolon, to their text.</summary>
    public IReadOnlyDictionary<string, string> Html5 { get; }

    /// <summary>Numeric references replaced by something else: NUL, CR and the Windows-1252 block 0x80–0x9F.</summary>
    public IReadOnlyDictionary<int, string> Remapped { get; }

    /// <summary>Numeric references html.unescape removes (most controls and the noncharacters).</summary>
    public IReadOnlySet<int> Dropped { get; }

    private static HtmlEntityTables Load()
    {
        using var document = EmbeddedTable.Open("html_entities.json");
        var root = document.RootElement;
        return new HtmlEntityTables(
            root.GetProperty("html5").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal),
            root.GetProperty("remapped").EnumerateObject()
                .ToDictionary(p => int.Parse(p.Name, CultureInfo.InvariantCulture), p => p.Value.GetString()!),
            root.GetProperty("dropped").EnumerateArray().Select(e => e.GetInt32()).ToHashSet());
    }
}
