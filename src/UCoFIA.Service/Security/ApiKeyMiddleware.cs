using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using UCoFIA.Service.Errors;
using UCoFIA.Service.Options;

namespace UCoFIA.Service.Security;

/// <summary>
/// When Auth:ApiKey is set, every /api request must carry it in X-Api-Key, except a GET or HEAD of one video's media
/// (original, thumbnails) that carries a valid <see cref="MediaTokens"/> token for that video instead.
/// </summary>
public sealed partial class ApiKeyMiddleware(RequestDelegate next, IOptions<AuthOptions> options, MediaTokens tokens)
{
    public const string Header = "X-Api-Key";

    // Hashing both sides gives equal-length inputs, so the comparison time says nothing about the key.
    private readonly byte[]? _expectedHash = string.IsNullOrEmpty(options.Value.ApiKey)
        ? null
        : SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey));

    public async Task InvokeAsync(HttpContext context)
    {
        if (_expectedHash is null || !context.Request.Path.StartsWithSegments("/api") || IsAuthorised(context.Request) || HasMediaToken(context.Request))
        {
            await next(context);
            return;
        }
        await Problem.Of(StatusCodes.Status401Unauthorized, "unauthorized", "An API key is required.",
            $"Send the configured API key in the {Header} header.").ExecuteAsync(context);
    }

    private bool HasMediaToken(HttpRequest request) =>
        AcceptsMediaToken(request.Method, request.Path.Value ?? "")
        && tokens.IsValid(request.Query[MediaTokens.QueryName], Guid.Parse(MediaPath().Match(request.Path.Value!).Groups["id"].Value));

    /// <summary>Whether a request to <paramref name="path"/> may carry a media token instead of the key.</summary>
    public static bool AcceptsMediaToken(string method, string path) =>
        (HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) && MediaPath().IsMatch(path);

    /// <summary>The routes a &lt;video&gt; or &lt;img&gt; element loads: a video's original and its frame thumbnails.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^/api/videos/(?<id>[0-9a-fA-F-]{36})/(original|frames/\d+\.jpg)$")]
    private static partial System.Text.RegularExpressions.Regex MediaPath();

    private bool IsAuthorised(HttpRequest request)
    {
        var presented = request.Headers[Header].ToString();
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(presentedHash, _expectedHash);
    }
}
