namespace UCoFIA.Model;

/// <summary>ftfy's uncurl_quotes: curly single quotes and ʼ become ', curly double quotes become ".</summary>
internal static class QuoteUncurler
{
    private static readonly Dictionary<char, string> quotes = new()
    {
        ['\u02bc'] = "'", ['\u2018'] = "'", ['\u2019'] = "'", ['\u201a'] = "'", ['\u201b'] = "'",
        ['\u201c'] = "\"", ['\u201d'] = "\"", ['\u201e'] = "\"", ['\u201f'] = "\"",
    };

    public static string Fix(string text) => CharacterMap.Apply(text, quotes);
}
