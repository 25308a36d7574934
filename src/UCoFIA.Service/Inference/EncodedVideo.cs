using UCoFIA.Storage;

namespace UCoFIA.Service.Inference;

/// <summary>A video file after the model: its segments' features, and the sampled pictures they came from as thumbnails.</summary>
/// <param name="Thumbnails">A viewing-size JPEG of each sampled picture, in sample order; empty when the sampler kept none.</param>
public sealed record EncodedVideo(IReadOnlyList<EncodedSegment> Segments, IReadOnlyList<byte[]> Thumbnails)
{
    /// <summary>Every sampled picture, whichever segments share it.</summary>
    public int SampleCount => Segments.Max(s => s.FirstSample + s.Features.FrameCount);

    public IReadOnlyList<VideoFeatureRows> SegmentFeatures => Segments.Select(s => s.Features).ToList();

    /// <summary>An id for each segment, fixed before its rows are written so that a retried write writes the same rows.</summary>
    public IReadOnlyList<Guid> NewSegmentIds() => Segments.Select(_ => Guid.CreateVersion7()).ToList();

    /// <summary>The segments as they are stored, with their ids and Sinkhorn–Knopp biases (one each, in segment order).</summary>
    public IReadOnlyList<SegmentInsert> ToInserts(IReadOnlyList<Guid> ids, IReadOnlyList<SkBias> biases) =>
        Segments.Select((s, i) => new SegmentInsert(ids[i], s.Index, s.Start, s.End, s.FirstSample, biases[i], s.Features)).ToList();
}

/// <summary>One segment's features: a window of the source, from its first to its last sampled frame.</summary>
/// <param name="FirstSample">The index of its first frame among the video's samples.</param>
public sealed record EncodedSegment(int Index, double Start, double End, int FirstSample, VideoFeatureRows Features);
