using System.ComponentModel.DataAnnotations;

namespace UCoFIA.Service.Options;

/// <summary>
/// The job-end callbacks an upload may ask for with 'callbackUrl' (section "Callbacks"). Off until hosts are allowed:
/// the service never calls a host that the operator did not name, so an upload cannot turn it against internal addresses.
/// </summary>
public sealed class CallbackOptions : IValidatableObject
{
    public const string Section = "Callbacks";

    /// <summary>
    /// Host names or IP addresses a callback URL may name (any port), compared case-insensitively; "*.example.com"
    /// allows the subdomains of example.com. Empty: callbacks are refused.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>The key of the HMAC-SHA256 signature in X-UCoFIA-Signature; required once hosts are allowed.</summary>
    public string? Secret { get; set; }

    /// <summary>Attempts per callback, the first included; then it is abandoned.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait before the second attempt; it doubles after each failure, up to MaxRetryDelaySeconds.</summary>
    [Range(0.1, 86_400)]
    public double FirstRetryDelaySeconds { get; set; } = 10;

    [Range(0.1, 86_400)]
    public double MaxRetryDelaySeconds { get; set; } = 3600;

    /// <summary>How long one attempt may take; a receiver that does not answer in time has failed the attempt.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1 after attempt <paramref name="attempt"/> failed.</summary>
    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(MaxRetryDelaySeconds, FirstRetryDelaySeconds * Math.Pow(2, Math.Max(0, attempt - 1))));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AllowedHosts.Length > 0 && (Secret is null || Secret.Length < 16))
        {
            yield return new ValidationResult("Callbacks:Secret must be at least 16 characters once Callbacks:AllowedHosts names a host.",
                [nameof(Secret)]);
        }
        if (AllowedHosts.Any(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult("Callbacks:AllowedHosts must not hold empty entries.", [nameof(AllowedHosts)]);
        }
    }
}
