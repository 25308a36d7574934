using System.Text;

namespace UCoFIA.Model;

/// <summary>
/// ftfy 6.3.1's <c>fix_text(text)</c> with its default TextFixerConfig, which openai's tokenizer calls first.
/// Ported: unescape_html="auto", fix_c1_controls, fix_latin_ligatures, fix_character_width, uncurl_quotes,
/// fix_line_breaks, fix_surrogates, remove_terminal_escapes, remove_control_chars, NFC, per-line segments and
/// the repeat-until-unchanged loop. Not ported: fix_encoding (mojibake repair and its restore_byte_a0,
/// replace_lossy_sequences and decode_inconsistent_utf8 steps); docs/parity.md says what that changes.
/// </summary>
internal static class FtfyTextFixer
{
    /// <summary>TextFixerConfig.max_decode_length: the longest piece fixed at once, counted here in UTF-16 units.</summary>
    private const int MaxDecodeLength = 1_000_000;

    private static readonly Func<string, string>[] fixers =
    [
        C1ControlFixer.Fix,
        LatinLigatureFixer.Fix,
        CharacterWidthFixer.Fix,
        QuoteUncurler.Fix,
        LineBreakFixer.Fix,
        SurrogateFixer.Fix,
        TerminalEscapeRemover.Fix,
        ControlCharacterRemover.Fix,
    ];

    public static string Fix(string text)
    {
        var result = new StringBuilder(text.Length);
        // "auto": entities are decoded until a segment contains '<' (real HTML); from then on, in no later segment.
        var unescapeHtml = true;
        var position = 0;
        while (position < text.Length)
        {
            var end = text.IndexOf('\n', position) + 1;
            if (end == 0)
                end = text.Length;
            if (end - position > MaxDecodeLength)
                end = position + MaxDecodeLength - (char.IsHighSurrogate(text[position + MaxDecodeLength - 1]) ? 1 : 0);
            var segment = text[position..end];
            unescapeHtml &= !segment.Contains('<', StringComparison.Ordinal);
            result.Append(FixSegment(segment, unescapeHtml));
            position = end;
        }
        return result.ToString();
    }

    /// <summary>ftfy's fix_and_explain: every fixer in order, then NFC, repeated until nothing changes.</summary>
    private static string FixSegment(string text, bool unescapeHtml)
    {
        while (true)
        {
            var original = text;
            if (unescapeHtml)
                text = FtfyHtmlUnescaper.Fix(text);
            foreach (var fix in fixers)
                text = fix(text);
            text = text.Normalize(NormalizationForm.FormC);
            if (text == original)
                return text;
        }
    }
}
