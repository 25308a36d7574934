namespace UCoFIA.Model;

/// <summary>ftfy's fix_line_breaks: CRLF, CR, U+2028, U+2029 and NEL (U+0085) all become \n.</summary>
internal static class LineBreakFixer
{
    public static string Fix(string text) => text
        .Replace("\r\n", "\n", StringComparison.Ordinal)
        .Replace('\r', '\n')
        .Replace('\u2028', '\n')
        .Replace('\u2029', '\n')
        .Replace('\u0085', '\n');
}
