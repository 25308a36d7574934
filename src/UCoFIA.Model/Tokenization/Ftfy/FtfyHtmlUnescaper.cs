using System.Text.RegularExpressions;

namespace UCoFIA.Model;

/// <summary>
/// ftfy's unescape_html: only references that end in a semicolon, so informal text such as "this&amp;not that"
/// keeps its ampersand, plus all-caps forms of lower-case names ("&amp;EACUTE;" is "É").
/// </summary>
internal static partial class FtfyHtmlUnescaper
{
    private static readonly Lazy<Dictionary<string, string>> entities = new(BuildEntities);

    public static string Fix(string text) => Entity().Replace(text, Replace);

    private static string Replace(Match match)
    {
        var text = match.Value;
        if (entities.Value.TryGetValue(text, out var named))
            return named;
        if (!text.StartsWith("&#", StringComparison.Ordinal))
            return text;
        // A numeric reference counts only if html.unescape consumed it whole, semicolon included.
        var unescaped = PythonHtml.Unescape(text);
        return unescaped.Contains(';', StringComparison.Ordinal) ? text : unescaped;
    }

    /// <summary>ftfy's chardata._build_html_entities.</summary>
    private static Dictionary<string, string> BuildEntities()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, text) in HtmlEntityTables.Instance.Html5)
        {
            if (!name.EndsWith(';'))
                continue;
            result["&" + name] = text;
            // Names are ASCII, so invariant casing equals Python's here; the text needs Python's (ß → SS).
            var upper = "&" + name.ToUpperInvariant();
            if (name == name.ToLowerInvariant() && PythonHtml.Unescape(upper) == upper)
                result[upper] = PythonCase.Upper(text);
        }
        return result;
    }

    [GeneratedRegex("&#?[0-9A-Za-z]{1,24};", RegexOptions.CultureInvariant)]
    private static partial Regex Entity();
}
