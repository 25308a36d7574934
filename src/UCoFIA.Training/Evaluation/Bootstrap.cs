namespace UCoFIA.Training.Evaluation;

/// <summary>A 95 % interval in R@1 points.</summary>
public sealed record Interval(double Low, double High)
{
    public bool ExcludesZero => Low > 0 || High < 0;
}

/// <summary>
/// Percentile bootstrap over queries: resample the queries with replacement, recompute R@1, take the 2.5th and
/// 97.5th percentiles. Differences resample the same queries for both variants (paired), which is what makes a
/// small difference between two variants of one model measurable.
/// </summary>
public static class Bootstrap
{
    private const int Resamples = 2000;

    public static Interval R1(IReadOnlyList<int> ranks, int seed = 1) => Percentiles(Resample(ranks, ranks, seed, (a, _) => a));

    /// <summary>Interval of R@1(a) − R@1(b) over the same queries.</summary>
    public static Interval R1Difference(IReadOnlyList<int> a, IReadOnlyList<int> b, int seed = 1)
    {
        if (a.Count != b.Count)
            throw new ArgumentException($"paired ranks differ in length: {a.Count} and {b.Count}", nameof(b));
        return Percentiles(Resample(a, b, seed, (x, y) => x - y));
    }

    private static double[] Resample(IReadOnlyList<int> a, IReadOnlyList<int> b, int seed, Func<double, double, double> combine)
    {
        if (a.Count == 0)
            throw new ArgumentException("no queries", nameof(a));
        var random = new Random(seed);
        var values = new double[Resamples];
        for (var r = 0; r < Resamples; r++)
        {
            int hitsA = 0, hitsB = 0;
            for (var i = 0; i < a.Count; i++)
            {
                var q = random.Next(a.Count);
                hitsA += a[q] == 1 ? 1 : 0;
                hitsB += b[q] == 1 ? 1 : 0;
            }
            values[r] = combine(100.0 * hitsA / a.Count, 100.0 * hitsB / a.Count);
        }
        Array.Sort(values);
        return values;
    }

    private static Interval Percentiles(double[] sorted) =>
        new(sorted[(int)(0.025 * (sorted.Length - 1))], sorted[(int)Math.Ceiling(0.975 * (sorted.Length - 1))]);
}
