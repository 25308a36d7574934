using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using UCoFIA.Service.Errors;
using UCoFIA.Service.Search;

namespace UCoFIA.Service.Apis;

public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/search").WithTags("Search");
        api.MapPost("/videos", SearchVideosAsync)
            .WithName("SearchVideos")
            .WithSummary("Text (or image) → video search")
            .WithDescription("Coarse recall of 'candidates' videos with pgvector HNSW, then the full UCoFIA re-rank (video–sentence, "
                + "frame–sentence ISA, patch–word Bi-ISA, each with its Sinkhorn–Knopp bias). 'granularities' picks the levels combined. "
                + "'filter' (metadata equality/ranges, created-at window) is applied inside the index scan. Each hit carries 'moments'. "
                + "Pages: pass the response's 'nextCursor' as 'cursor'. Image query: multipart/form-data with the picture in 'image' "
                + "(PNG/JPEG/WebP) and optional fields topK, candidates, granularities, exhaustive, filter (JSON), cursor.")
            .Accepts<VideoSearchRequest>("application/json", "multipart/form-data")
            .WithMultipartForm<ImageSearchForm>()
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/explain", ExplainAsync)
            .WithName("ExplainPatchWord")
            .WithSummary("Which patches each query word matched in one video")
            .WithDescription("For one query text and one stored video (or one of its segments): every query word's Bi-ISA weights over "
                + "the segment's patch stream (each frame's class token and its selected patches), with each patch's frame and grid cell, "
                + "so a page can draw the words' boxes on the frames.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/captions", SearchCaptionsAsync)
            .WithName("SearchCaptions")
            .WithSummary("Video → text caption lookup")
            .WithDescription("Either JSON { videoId, topK } for a stored video, or a multipart upload ('file') that is encoded on the fly and not stored.")
            // One accepts entry with both types: endpoint routing answers 415 for any content type it does not list.
            .Accepts<CaptionSearchRequest>("application/json", "multipart/form-data")
            .WithMultipartForm<VideoFileForm>()
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    /// <summary>The image query's multipart form, described for OpenAPI; the handler reads the form itself.</summary>
    public sealed record ImageSearchForm(
        [property: Description("The picture to search by: PNG, JPEG or WebP, at most 20 MB."), Required] IFormFile Image,
        [property: Description("How many videos to return."), DefaultValue(10)] int? TopK,
        [property: Description("How many videos the coarse pgvector recall hands to the full re-rank."), DefaultValue(200)] int? Candidates,
        [property: Description("Which alignment levels to combine: video, frame, patch; repeat the field for several (default all three).")] string[]? Granularities,
        [property: Description("Score every stored video with the full model instead of recalling candidates (slow; ground truth).")] bool? Exhaustive,
        [property: Description("A search filter as JSON, e.g. { \"metadata\": { \"category\": \"cats\" } }.")] string? Filter,
        [property: Description("The nextCursor of the previous page, to get the results ranked after it.")] string? Cursor);

    /// <summary>Query images larger than this are refused before decoding.</summary>
    public const long MaxImageBytes = 20L * 1024 * 1024;

    public static async Task<Ok<VideoSearchResponse>> SearchVideosAsync(
        HttpRequest request, VideoSearch search, RequestValidation validate, MediaUrls urls, CancellationToken cancellationToken)
    {
        VideoSearchRequest body;
        byte[]? image = null;
        if (request.HasFormContentType)
        {
            (body, image) = await ReadImageFormAsync(request, cancellationToken);
        }
        else if (request.HasJsonContentType())
        {
            body = await ReadJsonAsync<VideoSearchRequest>(request, cancellationToken);
        }
        else
        {
            throw ApiException.UnsupportedMediaType("Send JSON { \"text\": ... } or a multipart/form-data upload with the picture in 'image'.");
        }

        string? text = null;
        string queryKey;
        if (image is not null)
        {
            if (!string.IsNullOrWhiteSpace(body.Text))
            {
                throw ApiException.Validation("Send either 'text' or 'image', not both.");
            }
            queryKey = "image:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(image));
        }
        else
        {
            text = validate.Text(body.Text);
            queryKey = "text:" + text;
        }
        var topK = validate.TopK(body.TopK);
        var candidates = validate.Candidates(body.Candidates);
        var granularities = RequestValidation.Granularities(body.Granularities);
        var exhaustive = body.Exhaustive ?? false;
        var filter = SearchFilters.ToStorage(body.Filter);
        var hash = SearchCursor.HashQuery(queryKey, granularities, filter, candidates, exhaustive);
        var after = string.IsNullOrEmpty(body.Cursor) ? null : SearchCursor.Decode(body.Cursor, hash);

        var outcome = await search.SearchAsync(
            new VideoQuery(text, image, topK, candidates, granularities, exhaustive, filter, after), cancellationToken);
        var t = outcome.Timings;
        return TypedResults.Ok(new VideoSearchResponse(
            outcome.Results.Select(r => ToHit(r, urls)).ToList(),
            outcome.CandidateCount,
            new Timings(t.EncodeMs, t.RecallMs, t.FetchMs, t.RerankMs),
            outcome.HasMore && outcome.Results.Count > 0
                ? SearchCursor.After(hash, outcome.Results.Select(r => (r.Score, r.Id)).ToList(), after).Encode()
                : null));
    }

    public static async Task<Ok<ExplainResponse>> ExplainAsync(
        ExplainRequest body, PatchWordExplainer explainer, RequestValidation validate, MediaUrls urls, CancellationToken cancellationToken)
    {
        var text = validate.Text(body.Text);
        if (body.VideoId == Guid.Empty)
        {
            throw ApiException.Validation("'videoId' is required.");
        }
        var e = await explainer.ExplainAsync(text, body.VideoId, body.Segment, cancellationToken);
        var frames = e.Places.DistinctBy(p => p.Frame).Select(p => new EvidenceFrame(p.Frame, p.T, urls.Frame(body.VideoId, p.Frame))).ToList();
        return TypedResults.Ok(new ExplainResponse(body.VideoId, e.Segment, e.Grid, frames, e.Places, e.Words));
    }

    private static VideoHit ToHit(RankedVideo r, MediaUrls urls)
    {
        var first = r.Moments.Count > 0 ? r.Moments[0] : null;
        return new VideoHit(r.Id, r.Title, r.Score, r.Scores, r.BestSegment, r.BestFrames, r.Moments,
            !r.HasOriginal ? null : first is null ? urls.Original(r.Id) : urls.Moment(r.Id, first.Start, first.End),
            first is null ? null : urls.Frame(r.Id, first.Frame));
    }

    private static async Task<(VideoSearchRequest Body, byte[]? Image)> ReadImageFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("image");
        byte[]? image = null;
        if (file is not null)
        {
            if (file.Length > MaxImageBytes)
            {
                throw ApiException.TooLarge($"'image' is {file.Length} bytes; the limit is {MaxImageBytes}.");
            }
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            image = buffer.ToArray();
        }
        else if (string.IsNullOrWhiteSpace(form["text"]))
        {
            throw ApiException.Validation("A multipart search needs the picture in 'image' (or a 'text' field).");
        }
        SearchFilter? filter = null;
        if (!string.IsNullOrWhiteSpace(form["filter"]))
        {
            try
            {
                filter = JsonSerializer.Deserialize<SearchFilter>(form["filter"].ToString(), JsonSerializerOptions.Web);
            }
            catch (JsonException e)
            {
                throw ApiException.Validation($"'filter' is not valid JSON: {e.Message}");
            }
        }
        var body = new VideoSearchRequest(
            form["text"].ToString(),
            Int(form, "topK"),
            Int(form, "candidates"),
            form["granularities"].Where(g => !string.IsNullOrWhiteSpace(g)).Select(g => g!).ToArray(),
            bool.TryParse(form["exhaustive"], out var exhaustive) ? exhaustive : null,
            filter,
            form["cursor"].ToString());
        return (body, image);
    }

    private static int? Int(IFormCollection form, string field) =>
        string.IsNullOrWhiteSpace(form[field]) ? null
        : int.TryParse(form[field], out var value) ? value
        : throw ApiException.Validation($"'{field}' must be a whole number.");

    public sealed record CaptionServices(CaptionSearch Search, UploadEncoding Uploads, RequestValidation Validate);

    public static async Task<Ok<CaptionSearchResponse>> SearchCaptionsAsync(
        HttpRequest request, [AsParameters] CaptionServices s, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var encoded = await s.Uploads.EncodeAsync(request, cancellationToken);
            var results = await s.Search.SearchAsync(encoded.Segments.Select(segment => segment.Features).ToList(),
                new CaptionQuery(s.Validate.TopK(null), s.Validate.Candidates(null), GranularitySet.All), cancellationToken);
            return TypedResults.Ok(new CaptionSearchResponse(results));
        }
        if (!request.HasJsonContentType())
        {
            throw ApiException.UnsupportedMediaType("Send JSON { \"videoId\": ... } or a multipart/form-data upload with the video in 'file'.");
        }
        var body = await ReadJsonAsync<CaptionSearchRequest>(request, cancellationToken);
        if (body.VideoId == Guid.Empty)
        {
            throw ApiException.Validation("'videoId' is required (or upload a video as multipart/form-data).");
        }
        var ranked = await s.Search.SearchAsync(body.VideoId, body.Segment, new CaptionQuery(s.Validate.TopK(body.TopK), s.Validate.Candidates(body.Candidates),
            RequestValidation.Granularities(body.Granularities), body.Sinkhorn ?? true), cancellationToken);
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
