using System.Text;

namespace UCoFIA.Model;

/// <summary>Python's str.translate for a table of BMP characters: each listed character is replaced by its text.</summary>
internal static class CharacterMap
{
    public static string Apply(string text, IReadOnlyDictionary<char, string> map)
    {
        if (!text.Any(map.ContainsKey))
            return text;
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (map.TryGetValue(c, out var replacement))
                result.Append(replacement);
            else
                result.Append(c);
        }
        return result.ToString();
    }
}
