namespace UCoFIA.Service.Search;

/// <summary>
/// Turns scored segments into hits: a video is scored by its best segment, and its best frames and moments come
/// from its best segments, with times in the source and frames as the video's sample (thumbnail) indexes.
/// </summary>
public static class VideoHits
{
    /// <summary>How many of a video's best segments contribute frames and moments.</summary>
    public const int SegmentsPerHit = 2;

    private const int BestFrameCount = 3;

    public static IReadOnlyList<RankedVideo> FromSegments(IEnumerable<RankedSegment> segments) =>
        segments.GroupBy(s => s.Segment.VideoId).Select(ToVideo).ToList();

    private static RankedVideo ToVideo(IEnumerable<RankedSegment> ofOneVideo)
    {
        var best = ofOneVideo.OrderByDescending(s => s.Score).Take(SegmentsPerHit).ToList();
        var top = best[0].Segment;
        var frames = best
            .SelectMany(s => s.FrameScores.Select((score, f) => new FrameHit(s.Segment.Features.FrameTimes[f], score)))
            .DistinctBy(h => h.T) // overlapping segments share pictures; keep each once, at its best evidence
            .OrderByDescending(h => h.Score)
            .Take(BestFrameCount)
            .ToList();
        var moments = best
            .SelectMany(s => Moments.Find(s.Segment.Features.FrameTimes, s.FrameScores).Select(m => m with { Frame = s.Segment.FirstSample + m.Frame }))
            .OrderByDescending(m => m.Score)
            .Take(Moments.MaxMoments)
            .ToList();
        return new RankedVideo(top.VideoId, top.Title, best[0].Score, best[0].Scores, new SegmentSpan(top.Index, top.Start, top.End), frames, moments,
            top.HasOriginal);
    }
}
