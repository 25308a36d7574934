using System.ComponentModel.DataAnnotations;

namespace UCoFIA.Service.Options;

/// <summary>
/// Per-client request limit on /api routes (section "RateLimiting"), off by default. A client is its remote IP
/// address: behind a reverse proxy that is the proxy's unless forwarded headers are configured.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Requests each client may make per one-minute window; 0 turns the limiter off. Over it: 429 with Retry-After.</summary>
    [Range(0, 1_000_000)]
    public int PermitsPerMinute { get; set; }

    /// <summary>Requests over the limit that wait for the next window instead of being refused at once.</summary>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; }

    public bool Enabled => PermitsPerMinute > 0;
}
