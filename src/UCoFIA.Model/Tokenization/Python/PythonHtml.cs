using System.Globalization;
using System.Text.RegularExpressions;

namespace UCoFIA.Model;

/// <summary>
/// Python's html.unescape: HTML5 named references (with or without the semicolon, longest known prefix
/// first) and numeric ones with the HTML5 error handling. WebUtility.HtmlDecode knows neither.
/// </summary>
internal static partial class PythonHtml
{
    private const string Replacement = "\uFFFD";

    public static string Unescape(string text) =>
        text.Contains('&', StringComparison.Ordinal) ? CharacterReference().Replace(text, Replace) : text;

    private static string Replace(Match match)
    {
        var reference = match.Groups[1].Value;
        return reference[0] == '#' ? Numeric(reference) : Named(reference);
    }

    private static string Numeric(string reference)
    {
        var hex = reference[1] is 'x' or 'X';
        var digits = reference[(hex ? 2 : 1)..].TrimEnd(';');
        // Python's int() has no upper bound; anything past long's range (or hex wrapping negative) is past U+10FFFF all the same.
        var number = long.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 0
            ? parsed
            : long.MaxValue;
        var tables = HtmlEntityTables.Instance;
        if (number <= int.MaxValue && tables.Remapped.TryGetValue((int)number, out var remapped))
            return remapped;
        if (number is >= 0xD800 and <= 0xDFFF or > 0x10FFFF)
            return Replacement;
        return tables.Dropped.Contains((int)number) ? "" : char.ConvertFromUtf32((int)number);
    }

    private static string Named(string reference)
    {
        var html5 = HtmlEntityTables.Instance.Html5;
        if (html5.TryGetValue(reference, out var text))
            return text;
        // Names without a semicolon are recognised as the longest known prefix ("&notit;" is "¬it;").
        for (var length = reference.Length - 1; length > 1; length--)
        {
            if (html5.TryGetValue(reference[..length], out var prefix))
                return prefix + reference[length..];
        }
        return "&" + reference;
    }

    // html._charref; {1,32} counts UTF-16 units rather than code points, which cannot change the result: names
    // are ASCII, and whatever follows the longest known prefix is copied through unchanged either way.
    [GeneratedRegex(@"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)", RegexOptions.CultureInvariant)]
    private static partial Regex CharacterReference();
}
