namespace UCoFIA.Cli.Bench;

/// <summary>p50 / p95 / p99 and mean of a sample, with linear interpolation between order statistics.</summary>
public sealed record Percentiles(double P50, double P95, double P99, double Mean, int Count)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return new Percentiles(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }
        return new Percentiles(At(sorted, 0.50), At(sorted, 0.95), At(sorted, 0.99), sorted.Average(), sorted.Length);
    }

    private static double At(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}

/// <summary>How far a two-stage top-k is from the exhaustive one.</summary>
public static class Agreement
{
    /// <summary>|A ∩ B| / k over the first k of each: the top-k overlap. With A the exhaustive top-k this is also recall@k of the true top-k.</summary>
    public static double Overlap(IReadOnlyList<Guid> exhaustive, IReadOnlyList<Guid> twoStage, int k)
    {
        var truth = exhaustive.Take(k).ToHashSet();
        if (truth.Count == 0)
        {
            return 1.0;
        }
        return twoStage.Take(k).Count(truth.Contains) / (double)truth.Count;
    }

    /// <summary>The share of the true top-k that the candidate set contains: the most a re-rank of that set can recover.</summary>
    public static double Contained(IReadOnlyList<Guid> exhaustive, IReadOnlyCollection<Guid> candidates, int k)
    {
        var truth = exhaustive.Take(k).ToList();
        if (truth.Count == 0)
        {
            return 1.0;
        }
        var set = candidates as ISet<Guid> ?? candidates.ToHashSet();
        return truth.Count(set.Contains) / (double)truth.Count;
    }
}
