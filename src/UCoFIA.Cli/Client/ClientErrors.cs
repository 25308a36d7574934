using System.Net;
using System.Text.Json;

namespace UCoFIA.Cli.Client;

/// <summary>The service answered with an error status; <see cref="Title"/> and <see cref="Detail"/> come from its RFC 9457 problem when it sent one.</summary>
public sealed class ServiceProblemException(HttpStatusCode status, string title, string? detail)
    : HttpRequestException($"{(int)status} {title}{(string.IsNullOrEmpty(detail) ? "" : ": " + detail)}", null, status)
{
    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>The problem in <paramref name="body"/>, or the status line and the start of the body when it is not one.</summary>
    public static ServiceProblemException From(HttpResponseMessage response, string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("title", out var title))
            {
                return new(response.StatusCode, title.GetString() ?? "", problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null);
            }
        }
        catch (JsonException)
        {
        }
        return new(response.StatusCode, response.ReasonPhrase ?? "error", body.Length > 200 ? body[..200] + "…" : body);
    }
}

/// <summary>An ingestion job ended without a video: failed (its error says why) or canceled.</summary>
public sealed class JobFailedException(Guid job, string state, string? error) : Exception($"job {job} {state}: {error ?? "no reason given"}");

/// <summary>The command line asks for something that cannot be done, found before anything is sent.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Turns what a client command throws into one line on stderr and its <see cref="ExitCodes"/> value.</summary>
public static class ClientErrors
{
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception e) when (e is not OperationCanceledException || e is TaskCanceledException { InnerException: TimeoutException })
        {
            var (code, message) = Classify(e);
            await error.WriteLineAsync($"error: {message}");
            return code;
        }
    }

    private static (int Code, string Message) Classify(Exception e) => e switch
    {
        UsageException => (ExitCodes.Usage, e.Message),
        HttpRequestException { StatusCode: >= HttpStatusCode.InternalServerError } => (ExitCodes.ServerError, "the service failed: " + e.Message),
        HttpRequestException { StatusCode: not null } => (ExitCodes.Rejected, "the service refused the request: " + e.Message),
        HttpRequestException or TaskCanceledException => (ExitCodes.CannotConnect, "cannot reach the service: " + e.Message),
        _ => (ExitCodes.Failed, e.Message),
    };
}
