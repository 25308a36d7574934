using System.Globalization;
using System.Text;

namespace UCoFIA.Training.Evaluation;

/// <summary>The ablation table and the differences the paper's claims rest on, as Markdown, and a bar plot.</summary>
public static class ResultsTable
{
    /// <summary>One comparison: R@1 of <paramref name="Better"/> minus R@1 of <paramref name="Worse"/>.</summary>
    private sealed record Comparison(string Label, string Better, string Worse);

    private static readonly Comparison[] Comparisons =
    [
        new("unified − coarse (video + frame)", Variant.Unified, Variant.Coarse),
        new("ISA − softmax", Variant.Unified, Variant.Softmax),
        new("softmax − mean", Variant.Softmax, Variant.Mean),
        new("Bi-ISA − words-first", Variant.Unified, Variant.WordsFirst),
        new("Bi-ISA − patches-first", Variant.Unified, Variant.PatchesFirst),
        new("top-K − all patches", Variant.Unified, Variant.AllPatches),
        new("Sinkhorn–Knopp − none", Variant.Sinkhorn, Variant.Unified),
    ];

    public static string Markdown(IReadOnlyList<AblationResult> rows)
    {
        var grouped = rows.All(r => r.GroupTextToVideo is not null);
        var text = new StringBuilder();
        text.AppendLine(grouped
            ? "| Variant | t2v R@1 [95 % CI] | R@5 | MnR | in-group t2v R@1 [CI] | v2t R@1 [CI] | R@5 | MnR | in-group v2t R@1 [CI] |"
            : "| Variant | t2v R@1 [95 % CI] | R@5 | R@10 | MdR | MnR | v2t R@1 [CI] | R@5 | R@10 | MdR | MnR |");
        text.AppendLine(grouped ? "|---|---:|---:|---:|---:|---:|---:|---:|---:|" : "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
        {
            text.AppendLine(grouped
                ? $"| {row.Name} | {Short(row.TextToVideo)} | {R1(row.GroupTextToVideo!)} | {Short(row.VideoToText)} | {R1(row.GroupVideoToText!)} |"
                : $"| {row.Name} | {Cells(row.TextToVideo)} | {Cells(row.VideoToText)} |");
        }
        text.AppendLine();
        text.AppendLine("| Difference (paired bootstrap) | t2v R@1 [95 % CI] | v2t R@1 [CI] |" + (grouped ? " in-group t2v [CI] | in-group v2t [CI] |" : ""));
        text.AppendLine("|---|---:|---:|" + (grouped ? "---:|---:|" : ""));
        var comparisons = Comparisons.Where(c => Has(rows, c.Better) && Has(rows, c.Worse)).Select(c => (c.Label, Find(rows, c.Better), Find(rows, c.Worse)));
        foreach (var (label, better, worse) in WithBestSingle(rows).Concat(comparisons))
        {
            text.Append($"| {label} | {Difference(better.TextToVideo, worse.TextToVideo)} | {Difference(better.VideoToText, worse.VideoToText)} |");
            text.AppendLine(grouped ? $" {Difference(better.GroupTextToVideo!, worse.GroupTextToVideo!)} | {Difference(better.GroupVideoToText!, worse.GroupVideoToText!)} |" : "");
        }
        return text.ToString();
    }

    public static void Plot(IReadOnlyList<AblationResult> rows, string path, string title)
    {
        var plot = new ScottPlot.Plot();
        var r1 = rows.Select(r => r.TextToVideo.R1).ToArray();
        var bars = plot.Add.Bars(r1);
        bars.Horizontal = true;
        var intervals = rows.Select(r => Bootstrap.R1(r.TextToVideo.Ranks)).ToArray();
        var whiskers = new ScottPlot.Plottables.ErrorBar(r1, rows.Select((_, i) => (double)i).ToArray(),
            intervals.Select((c, i) => r1[i] - c.Low).ToArray(), intervals.Select((c, i) => c.High - r1[i]).ToArray(), null, null);
        plot.Add.Plottable(whiskers);
        var ticks = rows.Select((r, i) => new ScottPlot.Tick(i, r.Name)).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Margins(left: 0);
        plot.Title(title);
        plot.XLabel("text→video R@1 (%), with its 95 % bootstrap interval");
        plot.SavePng(path, 900, 520);
    }

    // Unified against the best of the three single granularities, chosen per direction by its R@1.
    private static IEnumerable<(string, AblationResult, AblationResult)> WithBestSingle(IReadOnlyList<AblationResult> rows)
    {
        var best = new[] { Variant.Video, Variant.Frame, Variant.Patch }.Select(n => Find(rows, n)).MaxBy(r => r.TextToVideo.R1)!;
        yield return ($"unified − best single t2v ({best.Name})", Find(rows, Variant.Unified), best);
    }

    private static AblationResult Find(IReadOnlyList<AblationResult> rows, string name) => rows.Single(r => r.Name == name);

    private static bool Has(IReadOnlyList<AblationResult> rows, string name) => rows.Any(r => r.Name == name);

    private static string Difference(RetrievalMetrics better, RetrievalMetrics worse)
    {
        var interval = Bootstrap.R1Difference(better.Ranks, worse.Ranks);
        return $"{F(better.R1 - worse.R1)} [{F(interval.Low)}, {F(interval.High)}]";
    }

    private static string R1(RetrievalMetrics m)
    {
        var interval = Bootstrap.R1(m.Ranks);
        return $"{F(m.R1)} [{F(interval.Low)}, {F(interval.High)}]";
    }

    private static string Short(RetrievalMetrics m) => string.Join(" | ", R1(m), F(m.R5), F(m.MeanRank));

    private static string Cells(RetrievalMetrics m) => string.Join(" | ", R1(m), F(m.R5), F(m.R10), F(m.MedianRank), F(m.MeanRank));

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
