using System.ComponentModel;
using UCoFIA.Service.Search;

namespace UCoFIA.Service.Apis;

public sealed record UploadAccepted(
    [property: Description("The ingestion job; poll GET /api/jobs/{jobId}.")] Guid? JobId,
    [property: Description("The id the video has (or will have once the job succeeds).")] Guid VideoId,
    [property: Description("True when these exact bytes were uploaded before and nothing new was stored.")] bool Duplicate);

public sealed record JobResponse(
    Guid Id,
    [property: Description("queued | running | succeeded | failed")] string State,
    [property: Description("0..1")] float Progress,
    [property: Description("Why the job failed, readable by a person.")] string? Error,
    Guid VideoId,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record VideoResponse(
    Guid Id, string? Title, double DurationSeconds, double Fps, int FrameCount, DateTimeOffset CreatedAt,
    [property: Description("The metadata JSON object given at upload.")] System.Text.Json.JsonElement Metadata);

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
    [property: Description("Score every stored video with the full model instead of recalling candidates (slow; ground truth).")] bool? Exhaustive);

public sealed record VideoSearchResponse(IReadOnlyList<VideoHit> Results, int Candidates, Timings Timings);

public sealed record VideoHit(Guid VideoId, string? Title, double Score, LevelScores Scores, IReadOnlyList<FrameHit> BestFrames);

public sealed record Timings(double EncodeMs, double RecallMs, double FetchMs, double RerankMs);

public sealed record CaptionSearchRequest(
    [property: Description("A stored video whose captions to look up.")] Guid VideoId,
    [property: DefaultValue(10)] int? TopK,
    [property: DefaultValue(200)] int? Candidates,
    string[]? Granularities);

public sealed record CaptionSearchResponse(IReadOnlyList<RankedCaption> Results);
