using System.Text.Json;
using System.Text.Json.Nodes;
using UCoFIA.Service.Errors;
using UCoFIA.Storage;

namespace UCoFIA.Service.Apis;

/// <summary>Turns the API's filter into the storage filter, rejecting what it cannot mean with a 400.</summary>
public static class SearchFilters
{
    private static readonly string[] RangeOperators = ["gt", "gte", "lt", "lte"];

    public static VideoFilter? ToStorage(SearchFilter? filter)
    {
        if (filter is null)
        {
            return null;
        }
        var equals = new JsonObject();
        var ranges = new List<MetadataRange>();
        foreach (var (key, value) in filter.Metadata ?? [])
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw ApiException.Validation("'filter.metadata' keys must not be empty.");
            }
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    ranges.Add(Range(key, value));
                    break;
                case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    equals[key] = JsonNode.Parse(value.GetRawText());
                    break;
                default:
                    throw ApiException.Validation($"'filter.metadata.{key}' must be a string, number, boolean or a range object.");
            }
        }
        if (filter.CreatedAfter is { } a && filter.CreatedBefore is { } b && a >= b)
        {
            throw ApiException.Validation("'filter.createdAfter' must be before 'filter.createdBefore'.");
        }
        var result = new VideoFilter(equals.Count > 0 ? equals.ToJsonString() : null, ranges, filter.CreatedAfter, filter.CreatedBefore);
        return result.IsEmpty ? null : result;
    }

    private static MetadataRange Range(string key, JsonElement value)
    {
        var bounds = new Dictionary<string, double>();
        foreach (var property in value.EnumerateObject())
        {
            if (!RangeOperators.Contains(property.Name) || property.Value.ValueKind != JsonValueKind.Number)
            {
                throw ApiException.Validation($"'filter.metadata.{key}' as a range takes numbers under gt, gte, lt, lte; got '{property.Name}'.");
            }
            bounds[property.Name] = property.Value.GetDouble();
        }
        if (bounds.Count == 0)
        {
            throw ApiException.Validation($"'filter.metadata.{key}' is an empty range.");
        }
        return new MetadataRange(key,
            bounds.TryGetValue("gt", out var gt) ? gt : null,
            bounds.TryGetValue("gte", out var gte) ? gte : null,
            bounds.TryGetValue("lt", out var lt) ? lt : null,
            bounds.TryGetValue("lte", out var lte) ? lte : null);
    }
}
