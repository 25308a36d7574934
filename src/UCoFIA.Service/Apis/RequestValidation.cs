using Microsoft.Extensions.Options;
using UCoFIA.Model;
using UCoFIA.Service.Errors;
using UCoFIA.Service.Options;
using UCoFIA.Service.Search;

namespace UCoFIA.Service.Apis;

/// <summary>Checks shared by the search and caption endpoints, each failing with a 400 that names the field.</summary>
public sealed class RequestValidation(IOptions<SearchOptions> options)
{
    public string Text(string? text, string field = "text")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ApiException.Validation($"'{field}' must not be empty.");
        }
        if (text.Length > options.Value.MaxTextLength)
        {
            throw ApiException.Validation($"'{field}' is {text.Length} characters long; the limit is {options.Value.MaxTextLength}.");
        }
        if (text.Any(c => char.IsControl(c) && !char.IsWhiteSpace(c)))
        {
            throw ApiException.Validation($"'{field}' contains control characters.");
        }
        return text.Trim();
    }

    public int TopK(int? topK) => Range(topK ?? 10, 1, options.Value.MaxTopK, "topK");

    public int Candidates(int? candidates) => Range(candidates ?? options.Value.DefaultCandidates, 1, options.Value.MaxCandidates, "candidates");

    public static int Range(int value, int min, int max, string field) =>
        value < min || value > max ? throw ApiException.Validation($"'{field}' must be between {min} and {max}; got {value}.") : value;

    public static GranularitySet Granularities(string[]? names)
    {
        if (names is null || names.Length == 0)
        {
            return GranularitySet.All;
        }
        // Matched by name only: Enum.TryParse would also take numbers such as "1".
        var levels = names.Select(n => Enum.GetValues<Granularity>().Cast<Granularity?>()
            .FirstOrDefault(g => string.Equals(g.ToString(), n, StringComparison.OrdinalIgnoreCase))
            ?? throw ApiException.Validation($"Unknown granularity '{n}'. Use video, frame or patch."));
        return GranularitySet.From(levels);
    }
}
