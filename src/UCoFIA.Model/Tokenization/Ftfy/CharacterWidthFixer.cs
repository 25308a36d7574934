using System.Text;

namespace UCoFIA.Model;

/// <summary>ftfy's fix_character_width: full-width Latin and half-width kana and Hangul take their usual width; U+3000 becomes a space.</summary>
internal static class CharacterWidthFixer
{
    private static readonly Dictionary<char, string> widths = BuildMap();

    public static string Fix(string text) => CharacterMap.Apply(text, widths);

    /// <summary>ftfy's _build_width_map: the NFKC form of every changed code point in U+FF01–U+FFEF.</summary>
    private static Dictionary<char, string> BuildMap()
    {
        var map = new Dictionary<char, string> { ['\u3000'] = " " };
        for (var c = '\uff01'; c < '\ufff0'; c++)
        {
            var alternate = c.ToString().Normalize(NormalizationForm.FormKC);
            if (alternate != c.ToString())
                map[c] = alternate;
        }
        return map;
    }
}
