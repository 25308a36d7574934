namespace UCoFIA.Service.Options;

/// <summary>Optional shared-secret protection of every /api route (section "Auth").</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>When set, requests to /api must carry it in the X-Api-Key header.</summary>
    public string? ApiKey { get; set; }
}
