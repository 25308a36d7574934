using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using UCoFIA.Service.Callbacks;
using UCoFIA.Service.Domain;
using UCoFIA.Service.Errors;
using UCoFIA.Service.Ingestion;
using UCoFIA.Service.Options;
using UCoFIA.Service.Telemetry;

namespace UCoFIA.Service.Apis;

/// <summary>
/// Reads a multipart upload section by section: the file part streams to a private temporary file while its
/// SHA-256 is computed and its size limit enforced, so a 512 MB upload never sits in memory and an oversized one
/// is cut off as soon as it crosses the limit.
/// </summary>
public sealed class UploadReader(IOptions<IngestOptions> ingest, UploadStore store, RequestValidation validate, CallbackUrlPolicy callbacks)
{
    private const int MaxFieldBytes = 64 * 1024;

    /// <summary>Reads a video upload with its optional title, captions, metadata and callback URL.</summary>
    public async Task<UploadedVideo> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var stage = ServiceTelemetry.Stage("upload");
        var boundary = GetBoundary(request);
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        string? tempPath = null, sha256 = null, fileName = null, title = null, metadata = null, callbackUrl = null;
        long length = 0;
        var captions = new List<string>();
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase) || StringSegment.IsNullOrEmpty(disposition.Name))
                {
                    throw Invalid("Every multipart section needs a 'Content-Disposition: form-data' header with a name.");
                }
                var name = disposition.Name.Value?.Trim('"') ?? "";
                if (disposition.IsFileDisposition() || name == "file")
                {
                    if (name != "file" && name != "video")
                    {
                        throw Invalid($"Unexpected file field '{name}': send the video in the 'file' field.");
                    }
                    if (tempPath is not null)
                    {
                        throw Invalid("Send exactly one video per upload.");
                    }
                    fileName = Path.GetFileName(disposition.FileName.Value?.Trim('"'));
                    (tempPath, sha256, length) = await SaveAsync(section.Body, cancellationToken);
                    continue;
                }
                var value = await ReadFieldAsync(section, name, cancellationToken);
                switch (name)
                {
                    case "title": title = string.IsNullOrWhiteSpace(value) ? null : validate.Text(value, "title"); break;
                    case "captions": captions.AddRange(SplitCaptions(value).Select((c, i) => validate.Text(c, $"captions[{captions.Count + i}]"))); break;
                    case "metadata": metadata = ParseMetadata(value); break;
                    case "callbackUrl": callbackUrl = string.IsNullOrWhiteSpace(value) ? null : callbacks.Check(value); break;
                    default: throw Invalid($"Unknown form field '{name}'. Expected file, title, captions, metadata, callbackUrl.");
                }
            }
            if (tempPath is null || sha256 is null)
            {
                throw Invalid("The form has no 'file' field with the video.");
            }
            if (length == 0)
            {
                throw UnusableInputException.Video("empty-file", "The uploaded file is empty.");
            }
            if (captions.Count > ingest.Value.MaxCaptionsPerRequest)
            {
                throw Invalid($"At most {ingest.Value.MaxCaptionsPerRequest} captions per upload.");
            }
            return new UploadedVideo(tempPath, sha256, length, fileName, string.IsNullOrEmpty(title) ? null : title, [.. captions], metadata ?? "{}",
                callbackUrl);
        }
        catch (Exception e) when (IsMalformedMultipart(e, cancellationToken))
        {
            if (tempPath is not null)
            {
                File.Delete(tempPath);
            }
            throw Invalid("The multipart body is malformed or ends early: every part needs its headers and a closing boundary.");
        }
        catch
        {
            if (tempPath is not null)
            {
                File.Delete(tempPath);
            }
            throw;
        }
    }

    /// <summary>
    /// The multipart reader reports a body that breaks the format as InvalidDataException (headers) or IOException
    /// (no closing boundary). Kestrel's own BadHttpRequestException (413, bad framing) and a client that went away keep
    /// their meaning.
    /// </summary>
    private static bool IsMalformedMultipart(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && e is InvalidDataException or IOException
        && e is not BadHttpRequestException
        && e is not FileNotFoundException and not DirectoryNotFoundException and not UnauthorizedAccessException;

    private async Task<(string Path, string Sha256, long Length)> SaveAsync(Stream body, CancellationToken cancellationToken)
    {
        var path = store.NewTempPath();
        var limit = ingest.Value.MaxUploadBytes;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                // Owner-only permissions: uploads are users' private videos.
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            await using var file = new FileStream(path, fileOptions);
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                length += read;
                if (length > limit)
                {
                    throw ApiException.TooLarge($"The video exceeds the limit of {limit} bytes.");
                }
                hash.AppendData(buffer, 0, read);
                try
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                catch (IOException e)
                {
                    // A full disk is the server's problem (500), not a malformed request.
                    throw new InvalidOperationException("The upload could not be written to the temporary folder.", e);
                }
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return (path, Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    private static async Task<string> ReadFieldAsync(MultipartSection section, string name, CancellationToken cancellationToken)
    {
        using var limited = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await section.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (limited.Length + read > MaxFieldBytes)
            {
                throw Invalid($"The form field '{name}' is longer than {MaxFieldBytes} bytes.");
            }
            limited.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(limited.ToArray());
    }

    // A caption field may also carry a JSON array, which is what Swagger UI sends for a repeatable field.
    private static IEnumerable<string> SplitCaptions(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith('['))
        {
            try
            {
                return JsonSerializer.Deserialize<string[]>(trimmed)?.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()) ?? [];
            }
            catch (JsonException)
            {
            }
        }
        return trimmed.Length == 0 ? [] : [trimmed];
    }

    private static string ParseMetadata(string value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.GetRawText()
                : throw Invalid("'metadata' must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw Invalid($"'metadata' is not valid JSON: {e.Message}");
        }
    }

    private static string GetBoundary(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.UnsupportedMediaType("Upload the video as multipart/form-data with the video in the 'file' field.");
        }
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        return string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200
            ? throw Invalid("The multipart boundary is missing or too long.")
            : boundary;
    }

    private static ApiException Invalid(string detail) => ApiException.Validation(detail);
}
