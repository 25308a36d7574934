using System.Net;

namespace UCoFIA.Cli.Client;

/// <summary>
/// Sends a request again when the service answers 503 (model queue full, database away) or 429 (rate limited),
/// after the Retry-After it gives (or 1, 2, 4 s without one), at most <see cref="MaxAttempts"/> times in all. A file
/// upload is sent again from the start of the file.
/// </summary>
public sealed class RetryHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public const int MaxAttempts = 4;

    /// <summary>A Retry-After longer than this is cut to it: a client waiting minutes looks hung.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(2);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (attempt == MaxAttempts || response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests))
            {
                return response;
            }
            var wait = Wait(response, attempt);
            response.Dispose();
            await Task.Delay(wait, cancellationToken);
        }
    }

    private static TimeSpan Wait(HttpResponseMessage response, int attempt)
    {
        var retryAfter = response.Headers.RetryAfter;
        var wait = retryAfter?.Delta
            ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.FromSeconds(1 << (attempt - 1)));
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;
    }
}
