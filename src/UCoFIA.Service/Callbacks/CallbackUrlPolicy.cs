using Microsoft.Extensions.Options;
using UCoFIA.Service.Domain;
using UCoFIA.Service.Options;

namespace UCoFIA.Service.Callbacks;

/// <summary>
/// Decides which callback URLs an upload may name: absolute http(s) URLs without credentials whose host
/// Callbacks:AllowedHosts names. The host is compared as .NET parses it, so an IP written another way
/// (<c>0x7f.1</c>, <c>2130706433</c>) is the address it means and cannot slip past the list.
/// </summary>
public sealed class CallbackUrlPolicy(IOptions<CallbackOptions> options)
{
    private const int MaxLength = 2048;

    /// <returns>The URL as it will be called.</returns>
    /// <exception cref="UnusableInputException">The URL is malformed, or its host is not allowed (or callbacks are off).</exception>
    public string Check(string value)
    {
        var hosts = options.Value.AllowedHosts;
        if (hosts.Length == 0)
        {
            throw Refused("This service sends no callbacks (Callbacks:AllowedHosts is empty).");
        }
        if (value.Length > MaxLength || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw Refused($"'callbackUrl' must be an absolute http or https URL of at most {MaxLength} characters.");
        }
        if (uri.UserInfo.Length > 0)
        {
            throw Refused("'callbackUrl' must not carry a user name or password.");
        }
        var host = uri.IdnHost.Trim('[', ']');
        if (!hosts.Any(allowed => Matches(host, allowed.Trim().Trim('[', ']'))))
        {
            throw Refused($"The host '{host}' of 'callbackUrl' is not in Callbacks:AllowedHosts.");
        }
        return uri.AbsoluteUri;
    }

    private static bool Matches(string host, string allowed) => allowed.StartsWith("*.", StringComparison.Ordinal)
        ? host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)
        : string.Equals(host, allowed, StringComparison.OrdinalIgnoreCase);

    private static UnusableInputException Refused(string detail) => new("callback-not-allowed", "callback URL", detail);
}
