using System.Text.Json;

namespace UCoFIA.Model;

/// <summary>
/// How CPython 3.11 and the <c>regex</c> module classify and case-map code points, as recorded by the parity
/// generator. .NET's own tables differ (ToLowerInvariant has no İ → i̇, \p{L} sees UTF-16 halves, Unicode
/// versions differ), and CLIP's ids depend on Python's answers.
/// </summary>
internal sealed class PythonUnicodeTables
{
    private static readonly Lazy<PythonUnicodeTables> instance = new(Load);

    private PythonUnicodeTables(JsonElement root)
    {
        Lower = Mappings(root.GetProperty("lower"));
        Upper = Mappings(root.GetProperty("upper"));
        CaseIgnorable = CodePointSet.FromJson(root.GetProperty("case_ignorable"));
        CasedNotIgnorable = CodePointSet.FromJson(root.GetProperty("cased"));
        PythonSpace = CodePointSet.FromJson(root.GetProperty("python_space"));
        RegexSpace = CodePointSet.FromJson(root.GetProperty("regex_space"));
        var classes = root.GetProperty("clip_classes");
        ClipLetter = CodePointSet.FromJson(classes.GetProperty("letter"));
        ClipNumber = CodePointSet.FromJson(classes.GetProperty("number"));
        ClipOther = CodePointSet.FromJson(classes.GetProperty("other"));
        ClipLetterFolds = root.GetProperty("clip_letter_folds").EnumerateObject()
            .ToDictionary(p => p.Name[0], p => p.Value.EnumerateArray().Select(cp => cp.GetInt32()).ToHashSet());
    }

    public static PythonUnicodeTables Instance => instance.Value;

    /// <summary>str.lower() of each code point it changes (full mappings; Σ handled by context, see <see cref="PythonCase"/>).</summary>
    public IReadOnlyDictionary<int, string> Lower { get; }

    public IReadOnlyDictionary<int, string> Upper { get; }

    /// <summary>Case_Ignorable, as str.lower()'s final-sigma rule reads it.</summary>
    public CodePointSet CaseIgnorable { get; }

    /// <summary>Cased code points that are not also case-ignorable (the only ones the final-sigma rule asks about).</summary>
    public CodePointSet CasedNotIgnorable { get; }

    /// <summary>str.isspace(), which str.strip() removes.</summary>
    public CodePointSet PythonSpace { get; }

    /// <summary>The <c>regex</c> module's \s.</summary>
    public CodePointSet RegexSpace { get; }

    /// <summary>Code points CLIP's <c>[\p{L}]</c> matches under IGNORECASE.</summary>
    public CodePointSet ClipLetter { get; }

    /// <summary>Code points CLIP's <c>[\p{N}]</c> matches under IGNORECASE.</summary>
    public CodePointSet ClipNumber { get; }

    /// <summary>Code points CLIP's <c>[^\s\p{L}\p{N}]</c> matches under IGNORECASE.</summary>
    public CodePointSet ClipOther { get; }

    /// <summary>For each letter of CLIP's literal alternatives, the code points IGNORECASE accepts for it (s: s, S, ſ).</summary>
    public IReadOnlyDictionary<char, HashSet<int>> ClipLetterFolds { get; }

    private static PythonUnicodeTables Load()
    {
        using var document = EmbeddedTable.Open("python_unicode.json");
        return new PythonUnicodeTables(document.RootElement);
    }

    private static Dictionary<int, string> Mappings(JsonElement pairs) =>
        pairs.EnumerateArray().ToDictionary(p => p[0].GetInt32(), p => p[1].GetString()!);
}
