namespace UCoFIA.Service.Options;

/// <summary>Optional shared-secret protection of every /api route (section "Auth").</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>When set, requests to /api must carry it in the X-Api-Key header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// How long the signed token in a playback or thumbnail URL stays valid: a &lt;video&gt; or &lt;img&gt; element
    /// cannot send the header, so those URLs carry a token instead.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(10, 86_400)]
    public int MediaTokenSeconds { get; set; } = 900;
}
