using System.Globalization;
using System.Text;

namespace UCoFIA.Training.Evaluation;

/// <summary>The ablation table as Markdown and as a bar plot.</summary>
public static class ResultsTable
{
    public static string Markdown(IReadOnlyList<AblationResult> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| Variant | t2v R@1 | R@5 | R@10 | MdR | MnR | v2t R@1 | R@5 | R@10 | MdR | MnR |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows)
            text.AppendLine($"| {row.Name} | {Cells(row.TextToVideo)} | {Cells(row.VideoToText)} |");
        return text.ToString();
    }

    public static void Plot(IReadOnlyList<AblationResult> rows, string path, string title)
    {
        var plot = new ScottPlot.Plot();
        var bars = plot.Add.Bars(rows.Select(r => r.TextToVideo.R1).ToArray());
        bars.Horizontal = true;
        var ticks = rows.Select((r, i) => new ScottPlot.Tick(i, r.Name)).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Margins(left: 0);
        plot.Title(title);
        plot.XLabel("R@1 (%)");
        plot.SavePng(path, 900, 520);
    }

    private static string Cells(RetrievalMetrics m) => string.Join(" | ",
        F(m.R1), F(m.R5), F(m.R10), F(m.MedianRank), F(m.MeanRank));

    private static string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
