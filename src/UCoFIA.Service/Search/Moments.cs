namespace UCoFIA.Service.Search;

/// <summary>
/// Where in a video the query is: runs of consecutive sampled frames whose frame–sentence evidence stands out
/// from the video's own frames (at least mean + k·std), runs one frame apart merged, ranked by their best frame.
/// Each frame covers the time from halfway after its predecessor to halfway before its successor.
/// </summary>
public static class Moments
{
    /// <summary>How many standard deviations above the video's mean a frame must score to belong to a moment.</summary>
    public const double Spread = 0.5;

    public const int MaxMoments = 3;

    /// <param name="times">[F] timestamps of the sampled frames, increasing.</param>
    /// <param name="scores">[≥F] the query's score for each frame; entries past <paramref name="times"/> are ignored.</param>
    public static IReadOnlyList<Moment> Find(IReadOnlyList<double> times, IReadOnlyList<float> scores, int max = MaxMoments)
    {
        var n = Math.Min(times.Count, scores.Count);
        if (n == 0)
        {
            return [];
        }
        var mean = Enumerable.Range(0, n).Average(f => (double)scores[f]);
        var std = Math.Sqrt(Enumerable.Range(0, n).Average(f => Math.Pow(scores[f] - mean, 2)));
        // Uniform evidence (or one frame) has no stand-out frame: the best frame alone is the moment.
        var threshold = std < 1e-6 ? double.PositiveInfinity : mean + Spread * std;
        var best = Enumerable.Range(0, n).MaxBy(f => scores[f]);
        var hot = Enumerable.Range(0, n).Select(f => f == best || scores[f] >= threshold).ToArray();

        var runs = new List<(int First, int Last)>();
        for (var f = 0; f < n; f++)
        {
            if (!hot[f])
            {
                continue;
            }
            if (runs.Count > 0 && f - runs[^1].Last <= 2)
            {
                runs[^1] = (runs[^1].First, f); // one cold frame between two hot ones does not split a moment
            }
            else
            {
                runs.Add((f, f));
            }
        }

        return runs
            .Select(r =>
            {
                var peak = Enumerable.Range(r.First, r.Last - r.First + 1).MaxBy(f => scores[f]);
                return new Moment(Start(times, r.First), End(times, r.Last, n), scores[peak], peak);
            })
            .OrderByDescending(m => m.Score)
            .Take(max)
            .ToList();
    }

    private static double Start(IReadOnlyList<double> times, int f) =>
        f == 0 ? Math.Max(0, times[0] - (times.Count > 1 ? (times[1] - times[0]) / 2 : 0)) : (times[f - 1] + times[f]) / 2;

    private static double End(IReadOnlyList<double> times, int f, int n) =>
        f == n - 1 ? times[f] + (n > 1 ? (times[f] - times[f - 1]) / 2 : 0) : (times[f] + times[f + 1]) / 2;
}

/// <summary>A stretch of the video that matches the query; <paramref name="Frame"/> is its best sampled frame (thumbnail index).</summary>
public sealed record Moment(double Start, double End, double Score, int Frame);
