using System.Text.RegularExpressions;

namespace UCoFIA.Model;

/// <summary>ftfy's remove_terminal_escapes: ANSI colour and style sequences (ESC [ digits and semicolons, a letter) go.</summary>
internal static partial class TerminalEscapeRemover
{
    public static string Fix(string text) => AnsiEscape().Replace(text, "");

    // \d is Unicode decimal digits in both Python's re and .NET, as ftfy's pattern relies on.
    [GeneratedRegex(@"\x1b\[((?:\d|;)*)([a-zA-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex AnsiEscape();
}
