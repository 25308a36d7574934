using UCoFIA.Model;
using UCoFIA.Service.Inference;
using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>One query's second stage: score these candidates with the full model and keep the best.</summary>
public sealed record RerankRequest(EncodedText Query, IReadOnlyList<GalleryVideo> Candidates, GranularitySet Granularities, int TopK);

public sealed record RerankResult(IReadOnlyList<RankedVideo> Videos);

public sealed record RankedVideo(Guid Id, string? Title, double Score, LevelScores Scores, IReadOnlyList<FrameHit> BestFrames, IReadOnlyList<Moment> Moments);

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
