using Microsoft.AspNetCore.Http.HttpResults;

namespace UCoFIA.Service.Errors;

/// <summary>
/// RFC 9457 problem details with a stable <c>type</c> per kind of error, so clients branch on the type,
/// never on the wording of the detail.
/// </summary>
public static class Problem
{
    public const string TypePrefix = "urn:ucofia:problem:";

    public static ProblemHttpResult Of(int status, string code, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypePrefix + code);
}
