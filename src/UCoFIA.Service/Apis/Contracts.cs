using System.ComponentModel;
using UCoFIA.Service.Search;
using UCoFIA.Storage;

namespace UCoFIA.Service.Apis;

public sealed record UploadAccepted(
    [property: Description("The ingestion job; poll GET /api/jobs/{jobId}.")] Guid? JobId,
    [property: Description("The id the video has (or will have once the job succeeds).")] Guid VideoId,
    [property: Description("True when these exact bytes were uploaded before and nothing new was stored.")] bool Duplicate);

public sealed record VideoResponse(
    Guid Id, string? Title, double DurationSeconds, double Fps,
    [property: Description("Pictures sampled from the video (its thumbnails), over all its segments.")] int FrameCount,
    DateTimeOffset CreatedAt,
    [property: Description("The metadata JSON object given at upload.")] System.Text.Json.JsonElement Metadata,
    [property: Description("The kept original file; null when it was not kept (Storage:KeepOriginals off, or its budget full at ingest).")]
    OriginalFile? Original);

public sealed record OriginalFile(
    [property: Description("GET it with HTTP range requests (a <video> element seeks with them); carries a short-lived token when an API key is configured.")] string Url,
    long Bytes,
    [property: Description("ffprobe's container name.")] string? Container,
    [property: Description("ffprobe's video codec name.")] string? Codec,
    [property: Description("Whether a browser's <video> element plays it as it is (H.264/AV1 in MP4, VP8/VP9/AV1 in WebM).")] bool BrowserPlayable);

public sealed record PageResponse<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize);

public sealed record AddCaptionsRequest(
    [property: Description("Captions to add to the caption gallery.")] string[] Texts,
    [property: Description("The video they describe, if any.")] Guid? VideoId);

public sealed record AddCaptionsResponse(IReadOnlyList<Guid> CaptionIds);

public sealed record VideoSearchRequest(
    [property: Description("What to look for, in plain language."), DefaultValue("a red circle moves to the left")] string Text,
    [property: Description("How many videos to return."), DefaultValue(10)] int? TopK,
    [property: Description("How many videos the coarse pgvector recall hands to the full re-rank."), DefaultValue(200)] int? Candidates,
    [property: Description("Which alignment levels to combine: video, frame, patch (default all three).")] string[]? Granularities,
    [property: Description("Score every stored video with the full model instead of recalling candidates (slow; ground truth).")] bool? Exhaustive,
    [property: Description("Only videos that pass this filter are recalled and returned.")] SearchFilter? Filter = null,
    [property: Description("The nextCursor of the previous page, to get the results ranked after it.")] string? Cursor = null);

public sealed record SearchFilter(
    [property: Description("Top-level metadata keys: a value means equality (string, number, bool), an object "
        + "{ \"gt\", \"gte\", \"lt\", \"lte\" } a numeric range. Example: { \"category\": \"cats\", \"year\": { \"gte\": 2020 } }")]
    Dictionary<string, System.Text.Json.JsonElement>? Metadata,
    [property: Description("Only videos ingested at or after this time.")] DateTimeOffset? CreatedAfter,
    [property: Description("Only videos ingested before this time.")] DateTimeOffset? CreatedBefore);

public sealed record VideoSearchResponse(
    IReadOnlyList<VideoHit> Results,
    [property: Description("Segments the coarse recall handed to the re-rank (a short video is one segment).")] int Candidates,
    Timings Timings,
    [property: Description("Pass as 'cursor' with the same query for the next page; null on the last page.")] string? NextCursor = null);

public sealed record VideoHit(
    Guid VideoId, string? Title,
    [property: Description("The score of the video's best segment.")] double Score,
    [property: Description("The best segment's score per granularity.")] LevelScores Scores,
    [property: Description("The segment that scored best: its index and its window in seconds of the source.")] SegmentSpan BestSegment,
    [property: Description("The best frames across the video's best segments, seconds from the start of the source.")] IReadOnlyList<FrameHit> BestFrames,
    [property: Description("Where in the video the query matches, best first, within its best segments: seconds of the source, score, "
        + "and the sampled frame (GET /api/videos/{videoId}/frames/{frame}.jpg).")] IReadOnlyList<Moment> Moments,
    [property: Description("The original opened at the first moment (a #t=start,end media fragment); null when the original was not kept.")] string? PlaybackUrl,
    [property: Description("The first moment's frame thumbnail; null when the hit has no moment.")] string? ThumbnailUrl);

public sealed record ExplainRequest(
    [property: Description("The query whose words to explain."), DefaultValue("a red circle moves to the left")] string Text,
    [property: Description("A stored video (a hit's videoId).")] Guid VideoId,
    [property: Description("Its segment to look in (a hit's bestSegment.index); the first when absent.")] int? Segment = null);

public sealed record ExplainResponse(
    Guid VideoId,
    [property: Description("The segment explained: its index and window in seconds of the source.")] SegmentSpan Segment,
    [property: Description("Patches per side of the model's square input, which is the centred square of each thumbnail: "
        + "cell (row, column) spans 1/grid of that square's side.")] int Grid,
    [property: Description("The segment's frames, with their thumbnails.")] IReadOnlyList<EvidenceFrame> Frames,
    [property: Description("The segment's patch stream as Bi-ISA sees it: each frame's class token (patch null, the whole picture) "
        + "and its selected patches.")] IReadOnlyList<EvidencePlace> Places,
    [property: Description("Each query word (start and end tokens left out) with its ISA weight on every entry of 'places', summing to 1: "
        + "the patches-first stage of Bi-ISA, as the patch–word score weighs them.")] IReadOnlyList<WordWeights> Words);

public sealed record EvidenceFrame(
    [property: Description("The video's sample index (GET /api/videos/{videoId}/frames/{frame}.jpg).")] int Frame,
    double T, string ThumbnailUrl);

public sealed record Timings(double EncodeMs, double RecallMs, double FetchMs, double RerankMs);

public sealed record CaptionSearchRequest(
    [property: Description("A stored video whose captions to look up.")] Guid VideoId,
    [property: Description("Only this segment of the video (0-based); all of them when absent, each caption scored by the segment it fits best.")] int? Segment,
    [property: DefaultValue(10)] int? TopK,
    [property: DefaultValue(200)] int? Candidates,
    string[]? Granularities,
    [property: Description("Add each caption's video → text Sinkhorn–Knopp bias (default true); false ranks by the raw scores, for comparison.")]
    bool? Sinkhorn = null);

public sealed record CaptionSearchResponse(IReadOnlyList<RankedCaption> Results);

public sealed record TextEmbeddingsRequest(
    [property: Description("Texts to encode (at most 64)."), DefaultValue(new[] { "a red circle moves to the left" })] string[] Texts);

public sealed record TextEmbedding(
    string Text,
    [property: Description("[D] sentence feature, L2-normalised.")] float[] Sentence,
    [property: Description("[L][D] word features of the real tokens (start and end included).")] float[][] Words,
    [property: Description("[L] token ids.")] int[] TokenIds);

public sealed record TextEmbeddingsResponse(int Dim, IReadOnlyList<TextEmbedding> Items);

public sealed record VideoEmbeddingsRequest([property: Description("A stored video.")] Guid VideoId);

public sealed record VideoEmbeddingsResponse(
    int Dim,
    [property: Description("How many segments the video has.")] int Segments,
    [property: Description("The segment these features belong to: index and window in seconds of the source.")] SegmentSpan Segment,
    [property: Description("[D] video feature.")] float[] Video,
    [property: Description("[F][D] frame features.")] float[][] Frames,
    [property: Description("[F] seconds from the start of the source.")] double[] FrameTimes,
    [property: Description("[F][K][D] selected patch features.")] float[][][] Patches);
