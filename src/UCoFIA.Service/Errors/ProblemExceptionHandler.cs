using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using UCoFIA.Media;

namespace UCoFIA.Service.Errors;

/// <summary>
/// Turns exceptions into problem details: client errors keep their message, an unreachable database is a
/// 503 the client may retry, anything else is a 500 without internals (the stack trace only goes to the log).
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
        MediaException media => (StatusCodes.Status422UnprocessableEntity, media.Code, "The video cannot be used.", media.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge,
            "too-large", "The upload is too large.", "The request body exceeds the configured size limit."),
        BadHttpRequestException bad => (bad.StatusCode, "bad-request", "The request could not be read.", bad.Message),
        _ when IsDatabaseUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "database-unavailable",
            "The database is unavailable.", "The database could not be reached; nothing was changed. Retry later."),
        _ => (StatusCodes.Status500InternalServerError, "internal", "An unexpected error occurred.",
            "The server could not complete the request. The error has been logged."),
    };

    internal static bool IsDatabaseUnavailable(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" } => true,
        NpgsqlException n when n.InnerException is not null => IsDatabaseUnavailable(n.InnerException),
        _ => false,
    };
}
