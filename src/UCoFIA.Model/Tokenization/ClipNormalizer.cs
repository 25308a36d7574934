using System.Net;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace UCoFIA.Model;

/// <summary>CLIP's text cleaning: HTML-unescape twice, collapse whitespace, trim, lower-case (ftfy is not ported).</summary>
internal sealed partial class ClipNormalizer : Normalizer
{
    public static ClipNormalizer Instance { get; } = new();

    public override string Normalize(string original) =>
        Whitespace().Replace(WebUtility.HtmlDecode(WebUtility.HtmlDecode(original)), " ").Trim().ToLowerInvariant();

    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
