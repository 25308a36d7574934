using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace UCoFIA.Storage;

/// <summary>A numeric range on one top-level metadata key; a video whose value is not a JSON number never matches.</summary>
public sealed record MetadataRange(string Key, double? Gt = null, double? Gte = null, double? Lt = null, double? Lte = null);

/// <summary>
/// Which videos a search may return: metadata equality (JSON containment), numeric ranges on metadata keys and
/// a created-at window. Every value travels as a query parameter; nothing from the filter is spliced into SQL.
/// </summary>
/// <param name="MetadataEquals">A JSON object; a video matches when its metadata contains it (<c>@&gt;</c>).</param>
/// <param name="CreatedFrom">Inclusive lower bound.</param>
/// <param name="CreatedTo">Exclusive upper bound.</param>
public sealed record VideoFilter(
    string? MetadataEquals = null,
    IReadOnlyList<MetadataRange>? Ranges = null,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null)
{
    public bool IsEmpty => MetadataEquals is null && (Ranges is null || Ranges.Count == 0) && CreatedFrom is null && CreatedTo is null;

    /// <summary>
    /// The predicate over the videos table aliased <paramref name="alias"/> (one of this library's own aliases),
    /// with its parameters; "true" when the filter is empty.
    /// </summary>
    internal string ToSql(string alias, NpgsqlParameterCollection parameters)
    {
        var sql = new StringBuilder("true");
        if (MetadataEquals is not null)
        {
            using var _ = JsonDocument.Parse(MetadataEquals); // throws on malformed JSON before it reaches the server
            sql.Append($" AND {alias}.metadata @> @f_contains");
            parameters.AddWithValue("f_contains", NpgsqlDbType.Jsonb, MetadataEquals);
        }
        var i = 0;
        foreach (var range in Ranges ?? [])
        {
            ArgumentException.ThrowIfNullOrEmpty(range.Key);
            // CASE fixes the evaluation order, so a non-numeric value is never cast.
            var value = $"(CASE WHEN jsonb_typeof({alias}.metadata -> @f_key{i}) = 'number' THEN ({alias}.metadata ->> @f_key{i})::double precision END)";
            parameters.AddWithValue($"f_key{i}", NpgsqlDbType.Text, range.Key);
            foreach (var (op, bound, name) in new[] { (">", range.Gt, "gt"), (">=", range.Gte, "gte"), ("<", range.Lt, "lt"), ("<=", range.Lte, "lte") })
            {
                if (bound is { } b)
                {
                    sql.Append($" AND {value} {op} @f_{name}{i}");
                    parameters.AddWithValue($"f_{name}{i}", NpgsqlDbType.Double, b);
                }
            }
            i++;
        }
        if (CreatedFrom is { } from)
        {
            sql.Append($" AND {alias}.created_at >= @f_from");
            parameters.AddWithValue("f_from", NpgsqlDbType.TimestampTz, from.ToUniversalTime());
        }
        if (CreatedTo is { } to)
        {
            sql.Append($" AND {alias}.created_at < @f_to");
            parameters.AddWithValue("f_to", NpgsqlDbType.TimestampTz, to.ToUniversalTime());
        }
        return sql.ToString();
    }
}
