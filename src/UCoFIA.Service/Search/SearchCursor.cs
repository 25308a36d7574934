using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using UCoFIA.Service.Domain;

namespace UCoFIA.Service.Search;

/// <summary>
/// A position in a query's ranking: the last score a page returned, the ids already returned whose score lies
/// within <see cref="Tolerance"/> of it, and a hash of the query it belongs to. The next page holds the results
/// ranked after that position, so a video added or removed meanwhile shifts nothing that was already returned:
/// no repeats, no skips among videos present throughout. The tolerance band absorbs the last-bit differences a
/// re-rank can give the same video when it is scored in a batch of another size.
/// </summary>
public sealed record SearchCursor(string Query, double Score, IReadOnlyList<Guid> Seen)
{
    public const double Tolerance = 1e-4;

    private const int MaxSeen = 200;

    public string Encode() => WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(new Wire(Query, Score, Seen.ToArray())));

    /// <summary>The cursor after a page: <paramref name="page"/> in rank order, <paramref name="previous"/> the cursor that page started at.</summary>
    public static SearchCursor After(string query, IReadOnlyList<(double Score, Guid Id)> page, SearchCursor? previous)
    {
        var last = page[^1].Score;
        var carried = previous is not null && previous.Score - last <= 2 * Tolerance ? previous.Seen : [];
        var seen = carried.Concat(page.Where(p => p.Score - last <= Tolerance).Select(p => p.Id)).Distinct().TakeLast(MaxSeen).ToList();
        return new SearchCursor(query, last, seen);
    }

    public static SearchCursor Decode(string cursor, string expectedQuery)
    {
        Wire? wire;
        try
        {
            wire = JsonSerializer.Deserialize<Wire>(WebEncoders.Base64UrlDecode(cursor));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new InvalidQueryException("'cursor' is not a cursor this service issued.");
        }
        if (wire?.Q is null)
        {
            throw new InvalidQueryException("'cursor' is not a cursor this service issued.");
        }
        if (wire.Q != expectedQuery)
        {
            throw new InvalidQueryException("'cursor' belongs to another query; send the same query (text or image, filter, granularities, candidates) as the page it came from.");
        }
        return new SearchCursor(wire.Q, wire.S, wire.Seen ?? []);
    }

    /// <summary>True when a result with this score and id ranks after the cursor (and was not returned already).</summary>
    public bool IsAfter(double score, Guid id) => score < Score - Tolerance || (score <= Score + Tolerance && !Seen.Contains(id));

    /// <summary>A short hash of everything that decides a ranking.</summary>
    public static string HashQuery(params object?[] parts) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(parts))))[..16];

    private sealed record Wire(string Q, double S, Guid[]? Seen);
}
