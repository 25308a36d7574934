using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using UCoFIA.Service.Options;

namespace UCoFIA.Service.Security;

/// <summary>
/// Short-lived tokens for one video's media (its original and its thumbnails), signed with a key derived from the API
/// key, so that a URL handed to a &lt;video&gt; or &lt;img&gt; element, which cannot send headers, works for a while
/// and for that video only. Without an API key there is nothing to sign and no token.
/// </summary>
public sealed class MediaTokens(IOptions<AuthOptions> options, TimeProvider clock)
{
    public const string QueryName = "token";

    private readonly byte[]? _key = string.IsNullOrEmpty(options.Value.ApiKey)
        ? null
        : HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey), "ucofia-media-token"u8);

    /// <returns>The token for <paramref name="videoId"/>, valid from now for Auth:MediaTokenSeconds; null without an API key.</returns>
    public string? Issue(Guid videoId)
    {
        if (_key is null)
        {
            return null;
        }
        var expires = clock.GetUtcNow().ToUnixTimeSeconds() + options.Value.MediaTokenSeconds;
        var token = new byte[8 + 16];
        BinaryPrimitives.WriteInt64BigEndian(token, expires);
        Signature(videoId, expires).CopyTo(token, 8);
        return WebEncoders.Base64UrlEncode(token);
    }

    public bool IsValid(string? token, Guid videoId)
    {
        if (_key is null || string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return false;
        }
        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(token);
        }
        catch (FormatException)
        {
            return false;
        }
        if (bytes.Length != 24)
        {
            return false;
        }
        var expires = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return expires >= clock.GetUtcNow().ToUnixTimeSeconds()
            && CryptographicOperations.FixedTimeEquals(bytes.AsSpan(8), Signature(videoId, expires));
    }

    private byte[] Signature(Guid videoId, long expires) =>
        HMACSHA256.HashData(_key!, Encoding.ASCII.GetBytes($"{videoId:N}.{expires}"))[..16];
}
