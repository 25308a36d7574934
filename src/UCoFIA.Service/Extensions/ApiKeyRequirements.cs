using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using UCoFIA.Service.Security;

namespace UCoFIA.Service.Extensions;

/// <summary>
/// Puts the API key on every /api operation as its security requirement, so Swagger UI's Authorize sends it. The
/// media routes that <see cref="ApiKeyMiddleware"/> also opens to a signed token get the token as an alternative.
/// </summary>
public sealed partial class ApiKeyRequirements : IOperationFilter
{
    public const string ApiKeyScheme = "ApiKey";
    public const string MediaTokenScheme = "MediaToken";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var api = context.ApiDescription;
        if (api.RelativePath?.StartsWith("api/", StringComparison.Ordinal) != true)
        {
            return;
        }
        operation.Security = [Requirement(ApiKeyScheme, context)];
        if (ApiKeyMiddleware.AcceptsMediaToken(api.HttpMethod ?? "", SamplePath(api)))
        {
            operation.Security.Add(Requirement(MediaTokenScheme, context));
        }
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OperationFilterContext context) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] };

    /// <summary>The route with each parameter replaced by a value of its type (a GUID or a number), as a request would carry it.</summary>
    private static string SamplePath(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription api) =>
        "/" + RouteParameter().Replace(api.RelativePath!, m =>
            api.ParameterDescriptions.FirstOrDefault(p => p.Name == m.Groups["name"].Value)?.Type == typeof(Guid) ? Guid.Empty.ToString() : "0");

    [System.Text.RegularExpressions.GeneratedRegex(@"\{(?<name>[^}:?]+)[^}]*\}")]
    private static partial System.Text.RegularExpressions.Regex RouteParameter();
}
