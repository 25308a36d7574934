using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using UCoFIA.Service.Errors;
using UCoFIA.Service.Ingestion;
using UCoFIA.Service.Search;

namespace UCoFIA.Service.Apis;

public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/search").WithTags("Search");
        api.MapPost("/videos", SearchVideosAsync)
            .WithName("SearchVideos")
            .WithSummary("Text → video search")
            .WithDescription("Coarse recall of 'candidates' videos with pgvector HNSW, then the full UCoFIA re-rank (video–sentence, "
                + "frame–sentence ISA, patch–word Bi-ISA, each with its Sinkhorn–Knopp bias). 'granularities' picks the levels combined.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/captions", SearchCaptionsAsync)
            .WithName("SearchCaptions")
            .WithSummary("Video → text caption lookup")
            .WithDescription("Either JSON { videoId, topK } for a stored video, or a multipart upload ('file') that is encoded on the fly and not stored.")
            // One accepts entry with both types: endpoint routing answers 415 for any content type it does not list.
            .Accepts<CaptionSearchRequest>("application/json", "multipart/form-data")
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    public static async Task<Ok<VideoSearchResponse>> SearchVideosAsync(
        VideoSearchRequest request, VideoSearch search, RequestValidation validate, CancellationToken cancellationToken)
    {
        var text = validate.Text(request.Text);
        var outcome = await search.SearchAsync(text, validate.TopK(request.TopK), validate.Candidates(request.Candidates),
            RequestValidation.Granularities(request.Granularities), request.Exhaustive ?? false, cancellationToken);
        var t = outcome.Timings;
        return TypedResults.Ok(new VideoSearchResponse(
            outcome.Results.Select(r => new VideoHit(r.Id, r.Title, r.Score, r.Scores, r.BestFrames)).ToList(),
            outcome.CandidateCount,
            new Timings(t.EncodeMs, t.RecallMs, t.FetchMs, t.RerankMs)));
    }

    public sealed record CaptionServices(
        CaptionSearch Search, CandidateStore Candidates, UploadReader Reader, VideoEncoder Encoder, RequestValidation Validate);

    public static async Task<Ok<CaptionSearchResponse>> SearchCaptionsAsync(
        HttpRequest request, [AsParameters] CaptionServices s, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            using var upload = await s.Reader.ReadAsync(request, cancellationToken);
            var probe = await s.Encoder.ProbeAsync(upload.TempPath, cancellationToken);
            var encoded = await s.Encoder.EncodeAsync(upload.TempPath, probe, Guid.Empty, upload.Title, cancellationToken);
            var results = await s.Search.SearchAsync(encoded.Features, s.Validate.TopK(null), s.Validate.Candidates(null), GranularitySet.All, cancellationToken);
            return TypedResults.Ok(new CaptionSearchResponse(results));
        }
        if (!request.HasJsonContentType())
        {
            throw ApiException.UnsupportedMediaType("Send JSON { \"videoId\": ... } or a multipart/form-data upload with the video in 'file'.");
        }
        var body = await ReadJsonAsync<CaptionSearchRequest>(request, cancellationToken);
        var video = (await s.Candidates.GetAsync([body.VideoId], cancellationToken)).FirstOrDefault()
            ?? throw ApiException.NotFound("Video", body.VideoId);
        var ranked = await s.Search.SearchAsync(video, s.Validate.TopK(body.TopK), s.Validate.Candidates(body.Candidates),
            RequestValidation.Granularities(body.Granularities), cancellationToken);
        return TypedResults.Ok(new CaptionSearchResponse(ranked));
    }

    private static async Task<T> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await request.ReadFromJsonAsync<T>(cancellationToken) ?? throw ApiException.Validation("The JSON body is empty.");
        }
        catch (JsonException e)
        {
            throw ApiException.Validation($"The JSON body is not valid: {e.Message}");
        }
    }
}
