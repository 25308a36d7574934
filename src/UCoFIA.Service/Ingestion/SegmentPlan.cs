namespace UCoFIA.Service.Ingestion;

/// <summary>
/// How a video is cut into segments. A video no longer than the window is one segment whose F frames spread over
/// its whole duration, as before segments existed. A longer one is sampled once on a grid of window / F seconds,
/// and each segment takes F consecutive samples, starting every stride (rounded to whole samples), so overlapping
/// segments share pictures and the video is decoded in one pass.
/// </summary>
/// <param name="Samples">How many pictures to sample from the whole video, uniformly in time.</param>
/// <param name="Windows">Each segment's first sample and sample count.</param>
public sealed record SegmentPlan(int Samples, IReadOnlyList<(int First, int Count)> Windows)
{
    public static SegmentPlan For(double durationSeconds, int frames, double windowSeconds, double strideSeconds)
    {
        if (durationSeconds <= windowSeconds)
        {
            return new SegmentPlan(frames, [(0, frames)]);
        }
        var samples = (int)Math.Ceiling(durationSeconds * frames / windowSeconds);
        var stride = Math.Max(1, (int)Math.Round(strideSeconds * frames / windowSeconds, MidpointRounding.AwayFromZero));
        var windows = new List<(int, int)>();
        for (var first = 0; ; first += stride)
        {
            windows.Add((first, Math.Min(frames, samples - first)));
            if (first + frames >= samples)
            {
                return new SegmentPlan(samples, windows);
            }
        }
    }
}
