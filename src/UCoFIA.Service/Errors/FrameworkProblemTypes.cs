using Microsoft.AspNetCore.Http;

namespace UCoFIA.Service.Errors;

/// <summary>
/// Gives the problems ASP.NET Core writes itself (routing's 404/405/415, body binding's 400) the same stable
/// <c>type</c> vocabulary as the service's own errors, so clients need to know only one.
/// </summary>
public static class FrameworkProblemTypes
{
    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type?.StartsWith(Problem.TypePrefix, StringComparison.Ordinal) == true)
        {
            return;
        }
        problem.Type = Problem.TypePrefix + (problem.Status switch
        {
            StatusCodes.Status400BadRequest => "validation",
            StatusCodes.Status401Unauthorized => "unauthorized",
            StatusCodes.Status404NotFound => "not-found",
            StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
            StatusCodes.Status413PayloadTooLarge => "too-large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
            >= 500 => "internal",
            _ => "http-" + problem.Status,
        });
    }
}
