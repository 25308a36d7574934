namespace UCoFIA.Service.Options;

/// <summary>
/// Cross-origin access for browser pages served from elsewhere (section "Cors"), off by default: without origins the
/// service sends no CORS headers and a browser keeps other sites' pages from reading its answers.
/// </summary>
public sealed class CrossOriginOptions
{
    public const string Section = "Cors";

    /// <summary>Origins (scheme://host[:port]) whose pages may call the API, X-Api-Key header included.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    public bool Enabled => AllowedOrigins.Length > 0;
}
