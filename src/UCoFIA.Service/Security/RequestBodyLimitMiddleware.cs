using UCoFIA.Service.Errors;

namespace UCoFIA.Service.Security;

/// <summary>
/// Kestrel's body limit is off so that video uploads can stream up to Ingest:MaxUploadBytes (enforced by the upload
/// reader while it reads). Every other /api body (JSON) is capped here at <see cref="MaxJsonBytes"/>: a declared
/// length over the cap is refused before reading, a chunked body is read at most one byte past it. Either way 413.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public const int MaxJsonBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api") || request.HasFormContentType
            || HttpMethods.IsGet(request.Method) || HttpMethods.IsDelete(request.Method) || HttpMethods.IsHead(request.Method))
        {
            await next(context);
            return;
        }
        if (request.ContentLength > MaxJsonBytes)
        {
            await TooLarge(context);
            return;
        }
        if (request.ContentLength is null)
        {
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > MaxJsonBytes)
                {
                    await TooLarge(context);
                    return;
                }
                buffer.Write(chunk, 0, read);
            }
            buffer.Position = 0;
            request.Body = buffer;
            request.ContentLength = buffer.Length;
        }
        await next(context);
    }

    private static Task TooLarge(HttpContext context) =>
        Problem.Of(StatusCodes.Status413PayloadTooLarge, "too-large", "The request body is too large.",
            $"JSON bodies are limited to {MaxJsonBytes} bytes.").ExecuteAsync(context);
}
