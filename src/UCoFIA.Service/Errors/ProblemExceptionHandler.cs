using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using UCoFIA.Media;
using UCoFIA.Service.Domain;
using UCoFIA.Storage;

namespace UCoFIA.Service.Errors;

/// <summary>
/// Turns exceptions into problem details, the one place that maps the service's domain errors to HTTP: client errors
/// keep their message, an overloaded model or an unreachable database is a 503 the client may retry, anything else
/// is a 500 without internals (the stack trace only goes to the log).
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title, detail) = Classify(exception);
        if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed ({Code})", context.Request.Method, context.Request.Path, code);
        }
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel would otherwise drain the rest of an oversized body to keep the connection alive.
            context.Response.Headers.Connection = "close";
        }
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
        }
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Type = Problem.TypePrefix + code, Title = title, Detail = detail },
        });
        if (written && status == StatusCodes.Status413PayloadTooLarge)
        {
            // Send the answer, then drop the connection so that the rest of the body is not read at all.
            await context.Response.CompleteAsync();
            context.Abort();
        }
        return written;
    }

    private static (int Status, string Code, string Title, string Detail) Classify(Exception exception) => exception switch
    {
        ApiException api => (api.Status, api.Code, api.Title, api.Message),
        NotFoundException e => (StatusCodes.Status404NotFound, e.Code, e.Title, e.Message),
        InvalidQueryException e => (StatusCodes.Status400BadRequest, e.Code, e.Title, e.Message),
        UnusableInputException e => (StatusCodes.Status422UnprocessableEntity, e.Code, e.Title, e.Message),
        ConflictException e => (StatusCodes.Status409Conflict, e.Code, e.Title, e.Message),
        GoneException e => (StatusCodes.Status410Gone, e.Code, e.Title, e.Message),
        OverloadedException e => (StatusCodes.Status503ServiceUnavailable, e.Code, e.Title, e.Message),
        MediaException media => (StatusCodes.Status422UnprocessableEntity, media.Code, "The video cannot be used.", media.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge,
            "too-large", "The upload is too large.", "The request body exceeds the configured size limit."),
        BadHttpRequestException bad => (bad.StatusCode, "bad-request", "The request could not be read.", bad.Message),
        _ when DatabaseFailures.IsTransient(exception) => (StatusCodes.Status503ServiceUnavailable, "database-unavailable",
            "The database is unavailable.", "The database could not be reached; nothing was changed. Retry later."),
        _ => (StatusCodes.Status500InternalServerError, "internal", "An unexpected error occurred.",
            "The server could not complete the request. The error has been logged."),
    };
}
