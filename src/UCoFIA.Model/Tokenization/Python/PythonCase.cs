using System.Text;

namespace UCoFIA.Model;

/// <summary>Python's str.lower() and str.upper(): full case mappings per code point plus the final-sigma rule.</summary>
internal static class PythonCase
{
    private const int CapitalSigma = 0x03A3;
    private const string SmallSigma = "\u03c3";
    private const string FinalSigma = "\u03c2";

    public static string Lower(string text)
    {
        var tables = PythonUnicodeTables.Instance;
        var runes = text.EnumerateRunes().ToArray();
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < runes.Length; i++)
        {
            var value = runes[i].Value;
            if (value == CapitalSigma)
                result.Append(IsFinalSigma(runes, i, tables) ? FinalSigma : SmallSigma);
            else if (tables.Lower.TryGetValue(value, out var lower))
                result.Append(lower);
            else
                result.Append(runes[i].ToString());
        }
        return result.ToString();
    }

    public static string Upper(string text)
    {
        var upper = PythonUnicodeTables.Instance.Upper;
        var result = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
            result.Append(upper.TryGetValue(rune.Value, out var mapped) ? mapped : rune.ToString());
        return result.ToString();
    }

    /// <summary>
    /// CPython's handle_capital_sigma: Σ is final when, skipping case-ignorable code points, a cased one comes
    /// before it and none comes after it.
    /// </summary>
    private static bool IsFinalSigma(Rune[] runes, int index, PythonUnicodeTables tables)
    {
        var before = index - 1;
        while (before >= 0 && tables.CaseIgnorable.Contains(runes[before]))
            before--;
        if (before < 0 || !tables.CasedNotIgnorable.Contains(runes[before]))
            return false;
        var after = index + 1;
        while (after < runes.Length && tables.CaseIgnorable.Contains(runes[after]))
            after++;
        return after == runes.Length || !tables.CasedNotIgnorable.Contains(runes[after]);
    }
}
