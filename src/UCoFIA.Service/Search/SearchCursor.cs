using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using UCoFIA.Service.Errors;

namespace UCoFIA.Service.Search;

/// <summary>
/// A position in a query's ranking: the last (score, videoId) a page returned, and a hash of the query it belongs
/// to. The next page holds the results ranked strictly after that position (score descending, id ascending), so
/// a video added or removed meanwhile shifts nothing that was already returned: no repeats, no skips among
/// videos that were present throughout.
/// </summary>
public sealed record SearchCursor(string Query, double Score, Guid VideoId)
{
    public string Encode() => WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(new Wire(Query, Score, VideoId)));

    public static SearchCursor Decode(string cursor, string expectedQuery)
    {
        Wire? wire;
        try
        {
            wire = JsonSerializer.Deserialize<Wire>(WebEncoders.Base64UrlDecode(cursor));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw ApiException.Validation("'cursor' is not a cursor this service issued.");
        }
        if (wire?.Q is null)
        {
            throw ApiException.Validation("'cursor' is not a cursor this service issued.");
        }
        if (wire.Q != expectedQuery)
        {
            throw ApiException.Validation("'cursor' belongs to another query; send the same query (text or image, filter, granularities, candidates) as the page it came from.");
        }
        return new SearchCursor(wire.Q, wire.S, wire.Id);
    }

    /// <summary>True when a result with this score and id ranks after the cursor.</summary>
    public bool IsAfter(double score, Guid id) => score < Score || (score == Score && id.CompareTo(VideoId) > 0);

    /// <summary>A short hash of everything that decides a ranking.</summary>
    public static string HashQuery(params object?[] parts) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(parts))))[..16];

    private sealed record Wire(string Q, double S, Guid Id);
}
