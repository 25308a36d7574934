using System.Text;

namespace UCoFIA.Model;

/// <summary>
/// Python's str.strip() and the <c>regex</c> module's <c>\s+</c>, which disagree with each other (U+001C–U+001F
/// are str whitespace only) and with .NET's char.IsWhiteSpace. Both sets lie in the BMP, so a UTF-16 unit test is exact.
/// </summary>
internal static class PythonWhitespace
{
    public static string Strip(string text)
    {
        var space = PythonUnicodeTables.Instance.PythonSpace;
        var start = 0;
        var end = text.Length;
        while (start < end && space.Contains(text[start]))
            start++;
        while (end > start && space.Contains(text[end - 1]))
            end--;
        return text[start..end];
    }

    /// <summary><c>regex.sub(r'\s+', ' ', text)</c>.</summary>
    public static string Collapse(string text)
    {
        var space = PythonUnicodeTables.Instance.RegexSpace;
        var result = new StringBuilder(text.Length);
        var inRun = false;
        foreach (var c in text)
        {
            var isSpace = space.Contains(c);
            if (!isSpace)
                result.Append(c);
            else if (!inRun)
                result.Append(' ');
            inRun = isSpace;
        }
        return result.ToString();
    }
}
