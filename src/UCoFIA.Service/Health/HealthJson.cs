using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UCoFIA.Service.Health;

/// <summary>
/// The readiness answer as JSON, so an operator sees which check holds the service back and which model it serves:
/// <c>{ "status", "checks": { name: { "status", "description", "data" } } }</c>.
/// </summary>
public static class HealthJson
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        }, JsonSerializerOptions.Web, context.RequestAborted);
    }
}
