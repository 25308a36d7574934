namespace UCoFIA.Model;

/// <summary>
/// ftfy's fix_c1_controls: C1 controls (U+0080–U+009F) become their Windows-1252 characters, as browsers do.
/// Python's html table for &amp;#128;–&amp;#159; is exactly ftfy's sloppy-windows-1252 for these bytes.
/// </summary>
internal static class C1ControlFixer
{
    private static readonly Lazy<Dictionary<char, string>> windows1252 = new(() =>
        HtmlEntityTables.Instance.Remapped.Where(kv => kv.Key is >= 0x80 and <= 0x9f).ToDictionary(kv => (char)kv.Key, kv => kv.Value));

    public static string Fix(string text) => CharacterMap.Apply(text, windows1252.Value);
}
