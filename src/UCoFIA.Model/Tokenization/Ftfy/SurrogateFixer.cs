using System.Text;

namespace UCoFIA.Model;

/// <summary>
/// ftfy's fix_surrogates: an unpaired UTF-16 surrogate becomes U+FFFD. (Python strings can also hold a pair
/// as two code points, which ftfy joins; in a .NET string a valid pair already is that one character.)
/// </summary>
internal static class SurrogateFixer
{
    public static string Fix(string text)
    {
        if (!text.Any(char.IsSurrogate))
            return text;
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                result.Append(text, i++, 2);
            else
                result.Append(char.IsSurrogate(text[i]) ? '\ufffd' : text[i]);
        }
        return result.ToString();
    }
}
