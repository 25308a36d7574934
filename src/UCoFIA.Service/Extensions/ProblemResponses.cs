using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using UCoFIA.Service.Errors;

namespace UCoFIA.Service.Extensions;

/// <summary>
/// Documents on every /api operation the problem responses it can really give. An endpoint declares the errors of
/// its own (404, 422, ...) with ProducesProblem; the ones that come from the edge are added here from what the
/// operation takes: 400 for a body or query, 413 and 415 for a body, and 401, 429, 500 and 503 everywhere. Each
/// problem response says which stable type it carries.
/// </summary>
public sealed class ProblemResponses : IOperationFilter
{
    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [StatusCodes.Status400BadRequest] = "The request is not valid: 'detail' names the field (validation).",
        [StatusCodes.Status401Unauthorized] = "Auth:ApiKey is configured and X-Api-Key is missing or wrong (unauthorized).",
        [StatusCodes.Status404NotFound] = "What the path or body names does not exist (not-found).",
        [StatusCodes.Status409Conflict] = "The request conflicts with the resource's current state.",
        [StatusCodes.Status413PayloadTooLarge] = "The body is over its limit: JSON 1 MiB, a video upload Ingest:MaxUploadBytes, a query image 20 MB (too-large).",
        [StatusCodes.Status415UnsupportedMediaType] = "The body's content type is not one this operation takes (unsupported-media-type).",
        [StatusCodes.Status416RangeNotSatisfiable] = "The Range header asks for bytes past the end of the file.",
        [StatusCodes.Status422UnprocessableEntity] = "The upload was read but cannot be used: not a video ffmpeg decodes, empty, too long, or an image that does not decode.",
        [StatusCodes.Status429TooManyRequests] = "RateLimiting:PermitsPerMinute is configured and this client has used its permits; retry after Retry-After seconds (rate-limited).",
        [StatusCodes.Status500InternalServerError] = "An unexpected error; the details are in the service's log, not in the answer (internal).",
        [StatusCodes.Status503ServiceUnavailable] = "The database is unreachable or the model's queue is full; nothing was changed, retry after Retry-After seconds (database-unavailable, overloaded).",
    };

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.RelativePath?.StartsWith("api/", StringComparison.Ordinal) != true)
        {
            return;
        }
        var body = operation.RequestBody is not null;
        var edge = new List<int> { StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests, StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable };
        if (body || context.ApiDescription.ParameterDescriptions.Any(p => p.Source == BindingSource.Query))
        {
            edge.Add(StatusCodes.Status400BadRequest);
        }
        if (body)
        {
            edge.AddRange([StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType]);
        }
        var problem = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository) };
        var responses = operation.Responses ?? [];
        var successes = responses.Where(r => int.Parse(r.Key, CultureInfo.InvariantCulture) < 400).ToList();
        var problems = edge.Concat(responses.Keys.Select(k => int.Parse(k, CultureInfo.InvariantCulture)).Where(s => s >= 400)).Distinct().Order().ToList();
        // Rebuilt in status order, so the document reads successes first, then each error once.
        operation.Responses = [];
        foreach (var (status, response) in successes)
        {
            operation.Responses[status] = response;
        }
        foreach (var status in problems)
        {
            operation.Responses[status.ToString(CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = Descriptions.GetValueOrDefault(status, $"A problem of type {Problem.TypePrefix}http-{status}."),
                Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = problem },
            };
        }
    }
}
