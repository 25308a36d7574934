using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using UCoFIA.Media;
using UCoFIA.Service.Domain;
using UCoFIA.Service.Ingestion;
using UCoFIA.Storage;

namespace UCoFIA.Service.Apis;

public static class VideosApi
{
    public static IEndpointRouteBuilder MapVideosApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/videos").WithTags("Videos");
        api.MapPost("/", UploadAsync)
            .WithName("UploadVideo")
            .WithSummary("Upload a video for ingestion")
            .WithDescription("Multipart form: 'file' (the video), optional 'title', repeatable 'captions', 'metadata' (a JSON object) and "
                + "'callbackUrl' (called when the job ends; its host must be in Callbacks:AllowedHosts, else 422). "
                + "Returns 202 with the ingestion job; the same bytes uploaded again return 200 with the existing video.")
            .Accepts<UploadForm>("multipart/form-data")
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/", ListAsync).WithName("ListVideos").WithSummary("List stored videos, newest first");
        api.MapGet("/{id:guid}", GetAsync).WithName("GetVideo").WithSummary("Get one stored video").ProducesProblem(StatusCodes.Status404NotFound);
        // HEAD too: players ask for the size and Accept-Ranges before they seek.
        api.MapMethods("/{id:guid}/original", [HttpMethods.Get, HttpMethods.Head], GetOriginalAsync).WithName("GetOriginal")
            .WithSummary("The kept original file, with HTTP range requests")
            .WithDescription("Answers 206 Partial Content to a Range request (Accept-Ranges: bytes), so a <video> element can seek to a moment. "
                + "When an API key is configured, a 'token' query parameter from the video's or a hit's URL works instead of the header.")
            .Produces(StatusCodes.Status200OK, contentType: "video/mp4")
            .Produces(StatusCodes.Status206PartialContent, contentType: "video/mp4")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);
        api.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteVideo")
            .WithSummary("Delete a video and every feature row and caption linked to it").ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>The multipart form, described for OpenAPI; the handler streams it rather than binding it.</summary>
    public sealed record UploadForm(
        [property: Description("The video file (any container ffmpeg reads)."), System.ComponentModel.DataAnnotations.Required] IFormFile File,
        [property: Description("A title for the video.")] string? Title,
        [property: Description("Captions describing the video; repeat the field for several.")] string[]? Captions,
        [property: Description("A JSON object stored with the video.")] string? Metadata,
        [property: Description("POSTed a signed JSON description of the job when it ends (succeeded, failed, canceled); "
            + "its host must be in Callbacks:AllowedHosts.")] string? CallbackUrl);

    public static async Task<Results<Accepted<UploadAccepted>, Ok<UploadAccepted>>> UploadAsync(
        HttpRequest request, UploadReader reader, UploadIntake intake, CancellationToken cancellationToken)
    {
        using var upload = await reader.ReadAsync(request, cancellationToken);
        var result = await intake.AcceptAsync(upload, cancellationToken);
        var accepted = new UploadAccepted(result.JobId, result.VideoId, result.Duplicate);
        return result.Duplicate ? TypedResults.Ok(accepted) : TypedResults.Accepted($"/api/jobs/{result.JobId}", accepted);
    }

    public static async Task<Ok<PageResponse<VideoResponse>>> ListAsync(
        VideoRepository videos, MediaUrls urls, CancellationToken cancellationToken,
        [Description("1-based page number")] int page = 1, [Description("Items per page (1..200)")] int pageSize = 20)
    {
        RequestValidation.Range(page, 1, int.MaxValue / 200, "page");
        RequestValidation.Range(pageSize, 1, 200, "pageSize");
        var (items, total) = await videos.ListAsync(page, pageSize, cancellationToken);
        return TypedResults.Ok(new PageResponse<VideoResponse>(items.Select(v => ToResponse(v, urls)).ToList(), total, page, pageSize));
    }

    public static async Task<Ok<VideoResponse>> GetAsync(Guid id, VideoRepository videos, MediaUrls urls, CancellationToken cancellationToken) =>
        TypedResults.Ok(ToResponse(await videos.GetAsync(id, cancellationToken) ?? throw new NotFoundException("Video", id), urls));

    public static async Task<PhysicalFileHttpResult> GetOriginalAsync(Guid id, VideoRepository videos, OriginalStore originals, CancellationToken cancellationToken)
    {
        var video = await videos.GetAsync(id, cancellationToken) ?? throw new NotFoundException("Video", id);
        var path = originals.PathOf(id);
        return video.OriginalBytes is null || !File.Exists(path)
            ? throw new NotFoundException("Original", $"The original of video {id} was not kept (Storage:KeepOriginals is off, or its budget was full when the video was ingested).")
            : TypedResults.PhysicalFile(path, MediaFormats.ContentType(video.Container), enableRangeProcessing: true);
    }

    public static async Task<NoContent> DeleteAsync(Guid id, Gallery gallery, CancellationToken cancellationToken)
    {
        await gallery.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static VideoResponse ToResponse(VideoRecord v, MediaUrls urls)
    {
        using var metadata = JsonDocument.Parse(v.MetadataJson);
        var original = v.OriginalBytes is { } bytes
            ? new OriginalFile(urls.Original(v.Id), bytes, v.Container, v.Codec, MediaFormats.BrowserPlayable(v.Container, v.Codec))
            : null;
        return new VideoResponse(v.Id, v.Title, v.DurationSeconds, v.Fps, v.FrameCount, v.CreatedAt, metadata.RootElement.Clone(), original);
    }
}
