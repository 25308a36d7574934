using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using UCoFIA.Service.Errors;
using UCoFIA.Service.Options;

namespace UCoFIA.Service.Security;

/// <summary>
/// RateLimiting:PermitsPerMinute as ASP.NET Core's rate limiter: a fixed one-minute window per client IP on /api
/// routes (health, metrics and the OpenAPI document stay open), a refused request answered with a 429 problem and
/// Retry-After, the seconds until the window turns.
/// </summary>
public static class RequestRateLimits
{
    public static void Configure(RateLimiterOptions options, RateLimitingOptions limits)
    {
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.Request.Path.StartsWithSegments("/api")
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.PermitsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = limits.QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                })
                : RateLimitPartition.GetNoLimiter(""));
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = OnRejectedAsync;
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
        rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problem.Of(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests.",
            $"This client has used its requests for the current minute. Retry after {seconds} s.").ExecuteAsync(rejected.HttpContext);
    }
}
