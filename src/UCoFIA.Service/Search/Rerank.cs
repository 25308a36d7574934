using UCoFIA.Model;
using UCoFIA.Service.Inference;
using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>One query's second stage: score these candidate segments with the full model.</summary>
public sealed record RerankRequest(EncodedText Query, IReadOnlyList<GallerySegment> Candidates, GranularitySet Granularities);

public sealed record RerankResult(IReadOnlyList<RankedSegment> Segments);

/// <summary>A candidate segment's scores for one query.</summary>
/// <param name="FrameScores">[F'] the query's evidence for each of the segment's frames.</param>
public sealed record RankedSegment(GallerySegment Segment, double Score, LevelScores Scores, float[] FrameScores);

/// <summary>A hit: a video, scored by its best segment, with its best frames and moments across its best segments.</summary>
/// <param name="HasOriginal">Whether the video's original was kept, so the hit can be played.</param>
public sealed record RankedVideo(
    Guid Id, string? Title, double Score, LevelScores Scores, SegmentSpan BestSegment, IReadOnlyList<FrameHit> BestFrames, IReadOnlyList<Moment> Moments,
    bool HasOriginal);

/// <summary>Where a segment lies in its video: its index and its window in seconds of the source.</summary>
public sealed record SegmentSpan(int Index, double Start, double End);

/// <summary>A caption of the gallery as video → text ranks it: its text features (padded) and its Sinkhorn–Knopp bias.</summary>
public sealed record GalleryCaption(Guid Id, Guid? VideoId, EncodedText Text, SkBias Bias);

public sealed record RankedCaption(Guid CaptionId, string Text, Guid? VideoId, double Score, LevelScores Scores);

/// <summary>Per-granularity scores; a level that was not asked for is null.</summary>
public sealed record LevelScores(double? Video, double? Frame, double? Patch);

public sealed record FrameHit(double T, double Score);

/// <summary>The granularities a query combines, comparable so that equal sets share one unified-score pass.</summary>
public sealed record GranularitySet(bool Video, bool Frame, bool Patch)
{
    public static readonly GranularitySet All = new(true, true, true);

    public static GranularitySet From(IEnumerable<Granularity> levels)
    {
        var set = levels.ToHashSet();
        return new GranularitySet(set.Contains(Granularity.Video), set.Contains(Granularity.Frame), set.Contains(Granularity.Patch));
    }

    public IReadOnlySet<Granularity> ToSet()
    {
        var set = new HashSet<Granularity>();
        if (Video) set.Add(Granularity.Video);
        if (Frame) set.Add(Granularity.Frame);
        if (Patch) set.Add(Granularity.Patch);
        return set;
    }
}
