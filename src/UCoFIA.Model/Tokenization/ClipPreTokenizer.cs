using System.Text;
using Microsoft.ML.Tokenizers;

namespace UCoFIA.Model;

/// <summary>
/// CLIP's pre-tokeniser, <c>&lt;\|startoftext\|&gt;|&lt;\|endoftext\|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>
/// under IGNORECASE, as the Python <c>regex</c> module runs it: on code points, with that module's Unicode
/// classes. A .NET Regex would split astral letters and emoji into UTF-16 halves and use other tables.
/// </summary>
internal sealed class ClipPreTokenizer : PreTokenizer
{
    /// <summary>The pattern's literal alternatives, tried in order at the start of every word.</summary>
    private static readonly string[] literals =
        [ClipTokenizer.StartOfText, ClipTokenizer.EndOfText, "'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

    public static ClipPreTokenizer Instance { get; } = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text.ToString());

    private static List<(int Offset, int Length)> Split(string text)
    {
        var tables = PythonUnicodeTables.Instance;
        var words = new List<(int Offset, int Length)>();
        var start = 0;
        while (start < text.Length)
        {
            var end = MatchLiteral(text, start, tables);
            if (end < 0)
            {
                var first = Rune.GetRuneAt(text, start);
                end = start + first.Utf16SequenceLength;
                if (tables.ClipLetter.Contains(first))
                    end = RunEnd(text, end, tables.ClipLetter);
                else if (tables.ClipOther.Contains(first))
                    end = RunEnd(text, end, tables.ClipOther);
                else if (!tables.ClipNumber.Contains(first))
                {
                    // Whitespace, and the odd code point no class matches under IGNORECASE (U+0345), is skipped.
                    start = end;
                    continue;
                }
            }
            words.Add((start, end - start));
            start = end;
        }
        return words;
    }

    /// <returns>The end of the first literal alternative matching at <paramref name="start"/>, or −1.</returns>
    private static int MatchLiteral(string text, int start, PythonUnicodeTables tables)
    {
        foreach (var literal in literals)
        {
            var position = start;
            var matched = true;
            foreach (var expected in literal)
            {
                if (position >= text.Length || !MatchesIgnoringCase(Rune.GetRuneAt(text, position), expected, tables))
                {
                    matched = false;
                    break;
                }
                position += Rune.GetRuneAt(text, position).Utf16SequenceLength;
            }
            if (matched)
                return position;
        }
        return -1;
    }

    private static bool MatchesIgnoringCase(Rune actual, char expected, PythonUnicodeTables tables) =>
        tables.ClipLetterFolds.TryGetValue(expected, out var folds) ? folds.Contains(actual.Value) : actual.Value == expected;

    private static int RunEnd(string text, int position, CodePointSet members)
    {
        while (position < text.Length)
        {
            var rune = Rune.GetRuneAt(text, position);
            if (!members.Contains(rune))
                break;
            position += rune.Utf16SequenceLength;
        }
        return position;
    }
}
