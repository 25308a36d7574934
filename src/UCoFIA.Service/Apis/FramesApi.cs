using Microsoft.AspNetCore.Http.HttpResults;
using UCoFIA.Service.Domain;
using UCoFIA.Service.Ingestion;

namespace UCoFIA.Service.Apis;

public static class FramesApi
{
    public static IEndpointRouteBuilder MapFramesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/videos").WithTags("Videos")
            .MapGet("/{id:guid}/frames/{idx:int}.jpg", GetFrameAsync)
            .WithName("GetFrameThumbnail")
            .WithSummary("Thumbnail of a sampled frame")
            .WithDescription("The JPEG stored at ingest for sampled frame 'idx' (0-based, as in a moment's 'frame'), at the model's image size.")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<FileContentHttpResult> GetFrameAsync(Guid id, int idx, FrameThumbnails thumbnails, CancellationToken cancellationToken)
    {
        var jpeg = idx < 0 ? null : await thumbnails.GetAsync(id, idx, cancellationToken);
        return jpeg is null
            ? throw new NotFoundException("Frame", $"Video {id} has no stored frame {idx}.")
            : TypedResults.File(jpeg, "image/jpeg");
    }
}
