using Microsoft.ML.Tokenizers;

namespace UCoFIA.Model;

/// <summary>
/// openai's <c>whitespace_clean(basic_clean(text)).lower()</c>: ftfy.fix_text, html.unescape twice, strip,
/// collapse <c>\s+</c> to one space, strip, str.lower(), each with Python's semantics.
/// </summary>
internal sealed class ClipNormalizer : Normalizer
{
    public static ClipNormalizer Instance { get; } = new();

    public override string Normalize(string original)
    {
        var text = PythonWhitespace.Strip(PythonHtml.Unescape(PythonHtml.Unescape(FtfyTextFixer.Fix(original))));
        return PythonCase.Lower(PythonWhitespace.Strip(PythonWhitespace.Collapse(text)));
    }

    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());
}
