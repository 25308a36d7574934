using System.Security.Cryptography;
using System.Text;

namespace UCoFIA.Service.Callbacks;

/// <summary>
/// How a receiver knows a callback came from this service: an HMAC-SHA256 of the raw body under Callbacks:Secret,
/// written <c>sha256=&lt;lower-case hex&gt;</c>. The body carries the delivery id, so the id a receiver de-duplicates on is signed too.
/// </summary>
public static class CallbackSignature
{
    public const string Header = "X-UCoFIA-Signature";

    /// <summary>The delivery's id, the same on every attempt: a receiver that saw it already can answer 2xx and do nothing.</summary>
    public const string DeliveryHeader = "X-UCoFIA-Delivery";

    /// <summary>When this attempt was sent, in Unix seconds; receivers may refuse old ones.</summary>
    public const string TimestampHeader = "X-UCoFIA-Timestamp";

    public static string Compute(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
