namespace UCoFIA.Model;

/// <summary>
/// ftfy's remove_control_chars: controls with no visible effect go (C0 except tab, line feed, form feed and
/// carriage return; DEL; deprecated Arabic format controls; interlinear annotations; U+FFFC; the BOM). C1
/// controls, joiners, bidi marks and tag characters stay.
/// </summary>
internal static class ControlCharacterRemover
{
    private static readonly Dictionary<char, string> removed = Ranges(('\u0000', '\u0008'), ('\u000b', '\u000b'),
        ('\u000e', '\u001f'), ('\u007f', '\u007f'), ('\u206a', '\u206f'), ('\ufeff', '\ufeff'), ('\ufff9', '\ufffc'));

    public static string Fix(string text) => CharacterMap.Apply(text, removed);

    private static Dictionary<char, string> Ranges(params (char First, char Last)[] ranges) =>
        ranges.SelectMany(r => Enumerable.Range(r.First, r.Last - r.First + 1)).ToDictionary(c => (char)c, _ => "");
}
