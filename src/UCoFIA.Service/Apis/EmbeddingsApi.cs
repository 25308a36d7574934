using System.ComponentModel;
using System.Text.Json;
using UCoFIA.Service.Errors;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Search;
using UCoFIA.Storage;

namespace UCoFIA.Service.Apis;

/// <summary>The model's features for users who build their own pipelines: JSON, or NumPy arrays when Accept asks for them.</summary>
public static class EmbeddingsApi
{
    public const int MaxTexts = 64;

    public static IEndpointRouteBuilder MapEmbeddingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/embeddings").WithTags("Embeddings");
        api.MapPost("/text", TextAsync)
            .WithName("EmbedText")
            .WithSummary("Text → sentence and word features")
            .WithDescription("JSON by default. With 'Accept: application/x-npy' one float32 .npy array: ?part=sentence [T, D] (default) "
                + "or ?part=words [T, L, D] (zero rows past each text's tokens; L is the longest text's token count).")
            .Accepts<TextEmbeddingsRequest>("application/json")
            .Produces<TextEmbeddingsResponse>(StatusCodes.Status200OK, "application/json", NpyWriter.MediaType);
        api.MapPost("/video", VideoAsync)
            .WithName("EmbedVideo")
            .WithSummary("Video → video, frame and patch features")
            .WithDescription("JSON { videoId } for a stored video, or a multipart upload ('file') that is encoded and not stored. "
                + "A long video has several segments: ?segment=i picks one (default 0). "
                + "JSON by default; with 'Accept: application/x-npy' one float32 .npy array: ?part=video [D] (default), frames [F, D] or patches [F, K, D].")
            .Accepts<VideoEmbeddingsRequest>("application/json", "multipart/form-data")
            .WithMultipartForm<VideoFileForm>()
            .DisableAntiforgery()
            .Produces<VideoEmbeddingsResponse>(StatusCodes.Status200OK, "application/json", NpyWriter.MediaType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    public static async Task<IResult> TextAsync(
        HttpRequest request, TextEmbeddingsRequest body, string? part, ModelWorker worker, RequestValidation validate, CancellationToken cancellationToken)
    {
        if (body.Texts is null || body.Texts.Length == 0 || body.Texts.Length > MaxTexts)
        {
            throw ApiException.Validation($"'texts' must hold 1 to {MaxTexts} texts.");
        }
        var texts = body.Texts.Select((t, i) => validate.Text(t, $"texts[{i}]")).ToList();
        var encoded = await worker.EncodeTextsAsync(texts, cancellationToken);
        var d = encoded[0].Sentence.Length;
        if (WantsNpy(request))
        {
            switch (part ?? "sentence")
            {
                case "sentence":
                    return Npy(encoded.SelectMany(e => e.Sentence).ToArray(), encoded.Length, d);
                case "words":
                    var l = encoded.Max(e => e.WordMask.Count(m => m));
                    var words = new float[encoded.Length * l * d];
                    for (var t = 0; t < encoded.Length; t++)
                    {
                        var real = Words(encoded[t]);
                        for (var w = 0; w < real.Length; w++)
                        {
                            real[w].CopyTo(words, (t * l + w) * d);
                        }
                    }
                    return Npy(words, encoded.Length, l, d);
                default:
                    throw ApiException.Validation("'part' must be sentence or words.");
            }
        }
        return TypedResults.Ok(new TextEmbeddingsResponse(d, encoded.Select(e => new TextEmbedding(
            e.Text, e.Sentence, Words(e), e.RealPositions.Select(i => e.TokenIds[i]).ToArray())).ToList()));
    }

    public static async Task<IResult> VideoAsync(
        HttpRequest request, string? part, CandidateStore candidates, UploadEncoding uploads, CancellationToken cancellationToken,
        [Description("Which segment (0-based); a short video has only segment 0.")] int segment = 0)
    {
        IReadOnlyList<(SegmentSpan Span, VideoFeatureRows Features)> segments;
        if (request.HasFormContentType)
        {
            segments = (await uploads.EncodeAsync(request, cancellationToken)).Segments
                .Select(s => (new SegmentSpan(s.Index, s.Start, s.End), s.Features)).ToList();
        }
        else if (request.HasJsonContentType())
        {
            VideoEmbeddingsRequest? body;
            try
            {
                body = await request.ReadFromJsonAsync<VideoEmbeddingsRequest>(cancellationToken);
            }
            catch (JsonException e)
            {
                throw ApiException.Validation($"The JSON body is not valid: {e.Message}");
            }
            var id = body?.VideoId ?? throw ApiException.Validation("'videoId' is required.");
            segments = (await candidates.GetVideoAsync(id, null, cancellationToken))
                .Select(s => (new SegmentSpan(s.Index, s.Start, s.End), s.Features)).ToList();
        }
        else
        {
            throw ApiException.UnsupportedMediaType("Send JSON { \"videoId\": ... } or a multipart/form-data upload with the video in 'file'.");
        }

        if (segment < 0 || segment >= segments.Count)
        {
            throw ApiException.Validation($"'segment' must be between 0 and {segments.Count - 1}; got {segment}.");
        }
        var (span, video) = segments[segment];
        var (d, f, k) = (video.Dim, video.FrameCount, video.PatchesPerFrame);
        if (WantsNpy(request))
        {
            return (part ?? "video") switch
            {
                "video" => Npy(video.Video, d),
                "frames" => Npy(video.Frames, f, d),
                "patches" => Npy(video.Patches, f, k, d),
                _ => throw ApiException.Validation("'part' must be video, frames or patches."),
            };
        }
        return TypedResults.Ok(new VideoEmbeddingsResponse(d, segments.Count, span, video.Video,
            Enumerable.Range(0, f).Select(i => video.Frame(i).ToArray()).ToArray(),
            video.FrameTimes,
            Enumerable.Range(0, f).Select(i => Enumerable.Range(0, k).Select(j => video.Patch(i, j).ToArray()).ToArray()).ToArray()));
    }

    private static float[][] Words(EncodedText text) => text.RealPositions.Select(text.Word).ToArray();

    private static bool WantsNpy(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains(NpyWriter.MediaType, StringComparison.OrdinalIgnoreCase));

    private static IResult Npy(float[] values, params int[] shape) => TypedResults.File(NpyWriter.Write(values, shape), NpyWriter.MediaType);
}
