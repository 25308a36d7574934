namespace UCoFIA.Training.Evaluation;

/// <summary>Recall at 1/5/10 (percent), median and mean rank (1-based) of one retrieval direction.</summary>
public sealed record RetrievalMetrics(double R1, double R5, double R10, double MedianRank, double MeanRank, int Queries)
{
    /// <summary>Each query's rank (1-based), in query order: what bootstrap intervals resample.</summary>
    public IReadOnlyList<int> Ranks { get; init; } = [];

    /// <summary>
    /// Ranks each query's correct gallery items in its score row. A query's rank is that of its best correct item;
    /// ties count against the query (an item scoring the same as the match is ranked ahead of it), so a constant
    /// score matrix gives chance-level numbers rather than perfect ones.
    /// </summary>
    /// <param name="scores">[Q, G] row-major, higher is better</param>
    /// <param name="queries">Q</param>
    /// <param name="gallery">G</param>
    /// <param name="correct">for each query, the gallery indices that count as a match (at least one)</param>
    public static RetrievalMetrics Compute(ReadOnlySpan<float> scores, int queries, int gallery, IReadOnlyList<int[]> correct)
    {
        if (scores.Length != queries * gallery)
            throw new ArgumentException($"expected {queries}×{gallery} scores, got {scores.Length}", nameof(scores));
        if (correct.Count != queries)
            throw new ArgumentException($"expected {queries} answer sets, got {correct.Count}", nameof(correct));
        var ranks = new int[queries];
        for (var q = 0; q < queries; q++)
        {
            var row = scores.Slice(q * gallery, gallery);
            var answers = correct[q];
            if (answers.Length == 0)
                throw new ArgumentException($"query {q} has no correct gallery item", nameof(correct));
            var best = int.MaxValue;
            foreach (var answer in answers)
            {
                var target = row[answer];
                var ahead = 0;
                for (var g = 0; g < gallery; g++)
                {
                    if (g != answer && !answers.Contains(g) && !(row[g] < target))
                        ahead++;
                }
                best = Math.Min(best, ahead + 1);
            }
            ranks[q] = best;
        }
        return FromRanks(ranks);
    }

    /// <summary>Square [N, N] matrix whose diagonal holds the matches.</summary>
    public static RetrievalMetrics FromDiagonal(ReadOnlySpan<float> scores, int n) =>
        Compute(scores, n, n, Enumerable.Range(0, n).Select(i => new[] { i }).ToArray());

    /// <summary>
    /// Square [N, N] matrix with the matches on the diagonal, each query ranked only against the gallery items of its
    /// own group (<paramref name="groups"/>[i] names item i's group): R@1 within a group of G has chance 1/G.
    /// </summary>
    public static RetrievalMetrics WithinGroups(ReadOnlySpan<float> scores, int n, IReadOnlyList<string?> groups)
    {
        if (groups.Count != n)
            throw new ArgumentException($"expected {n} group names, got {groups.Count}", nameof(groups));
        var ranks = new int[n];
        for (var q = 0; q < n; q++)
        {
            var target = scores[q * n + q];
            var ahead = 0;
            for (var g = 0; g < n; g++)
            {
                if (g != q && groups[g] == groups[q] && !(scores[q * n + g] < target))
                    ahead++;
            }
            ranks[q] = ahead + 1;
        }
        return FromRanks(ranks);
    }

    public static RetrievalMetrics FromRanks(IReadOnlyList<int> ranks)
    {
        if (ranks.Count == 0)
            throw new ArgumentException("no queries", nameof(ranks));
        var sorted = ranks.Order().ToArray();
        var n = sorted.Length;
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        double Recall(int k) => 100.0 * sorted.Count(r => r <= k) / n;
        return new RetrievalMetrics(Recall(1), Recall(5), Recall(10), median, sorted.Average(), n) { Ranks = ranks.ToArray() };
    }

    /// <summary>Transposes a row-major [R, C] matrix (text×video to video×text).</summary>
    public static float[] Transpose(ReadOnlySpan<float> scores, int rows, int cols)
    {
        var result = new float[scores.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
                result[c * rows + r] = scores[r * cols + c];
        }
        return result;
    }
}
