using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using UCoFIA.Service.Errors;
using UCoFIA.Service.Ingestion;
using UCoFIA.Service.Options;

namespace UCoFIA.Service.Apis;

public static class CaptionsApi
{
    public static IEndpointRouteBuilder MapCaptionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/captions").WithTags("Captions")
            .MapPost("/", AddAsync)
            .WithName("AddCaptions")
            .WithSummary("Add captions to the caption gallery")
            .WithDescription("Each caption is encoded (sentence and word features) and becomes searchable by video → text lookup.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Created<AddCaptionsResponse>> AddAsync(
        AddCaptionsRequest request, CaptionGallery gallery, RequestValidation validate,
        IOptions<IngestOptions> options, CancellationToken cancellationToken)
    {
        if (request.Texts is not { Length: > 0 })
        {
            throw ApiException.Validation("'texts' must hold at least one caption.");
        }
        RequestValidation.Range(request.Texts.Length, 1, options.Value.MaxCaptionsPerRequest, "texts.length");
        var texts = request.Texts.Select((t, i) => validate.Text(t, $"texts[{i}]")).ToList();
        var ids = await gallery.AddAsync(texts, request.VideoId, cancellationToken);
        return TypedResults.Created((string?)null, new AddCaptionsResponse(ids));
    }
}
