using UCoFIA.Service.Security;

namespace UCoFIA.Service.Apis;

/// <summary>
/// The URLs of a video's media as a browser loads them: with a signed, short-lived token when an API key is
/// configured, since a &lt;video&gt; or &lt;img&gt; element cannot send the header.
/// </summary>
public sealed class MediaUrls(MediaTokens tokens)
{
    public string Original(Guid videoId) => WithToken($"/api/videos/{videoId}/original", videoId);

    public string Frame(Guid videoId, int sample) => WithToken($"/api/videos/{videoId}/frames/{sample}.jpg", videoId);

    /// <summary>The original, opened at a moment (a media fragment, which a &lt;video&gt; element seeks to).</summary>
    public string Moment(Guid videoId, double start, double end) => FormattableString.Invariant($"{Original(videoId)}#t={start:0.###},{end:0.###}");

    private string WithToken(string path, Guid videoId) =>
        tokens.Issue(videoId) is { } token ? $"{path}?{MediaTokens.QueryName}={token}" : path;
}
