using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Ingestion;

namespace UCoFIA.Service.Apis;

/// <summary>
/// Read, probe and encode an uploaded video inside the request, storing nothing: the step that caption lookup by
/// upload and video embeddings by upload share. The streamed temporary file is gone when this returns.
/// </summary>
public sealed class UploadEncoding(UploadReader reader, VideoEncoder encoder)
{
    public async Task<EncodedVideo> EncodeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var upload = await reader.ReadAsync(request, cancellationToken);
        var probe = await encoder.ProbeAsync(upload.TempPath, cancellationToken);
        return await encoder.EncodeAsync(upload.TempPath, probe, cancellationToken);
    }
}

/// <summary>The multipart form <see cref="UploadEncoding"/> reads, described for OpenAPI.</summary>
public sealed record VideoFileForm(
    [property: Description("The video (any container ffmpeg reads); encoded for this request only, not stored."), Required] IFormFile File);
