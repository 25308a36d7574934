using System.Globalization;
using System.Text;
using System.Text.Json;

namespace UCoFIA.Cli.Bench;

/// <summary>Writes bench.json, report.md and the PNG plots of one run.</summary>
public static class BenchReport
{
    public const string LatencyPlot = "latency-vs-size.png";
    public const string AgreementPlot = "agreement-vs-candidates.png";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task WriteAsync(BenchRun run, string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "bench.json"),
            JsonSerializer.Serialize(run, JsonOptions), ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "report.md"), Markdown(run), ct);
        PlotLatency(run, Path.Combine(folder, LatencyPlot));
        PlotAgreement(run, Path.Combine(folder, AgreementPlot));
    }

    public static async Task<BenchRun> ReadAsync(string path, CancellationToken ct) =>
        JsonSerializer.Deserialize<BenchRun>(await File.ReadAllTextAsync(path, ct), JsonOptions) ?? throw new InvalidDataException($"{path} is empty");

    /// <summary>The rows of an earlier run (smaller sizes) followed by this run's; this run's ingestion unless it had none.</summary>
    public static BenchRun Merge(BenchRun earlier, BenchRun run) => run with
    {
        LoadBefore = $"{earlier.LoadBefore} (first run, {earlier.Started:HH:mm}); {run.LoadBefore} (this run)",
        Fills = [.. earlier.Fills, .. run.Fills],
        Latency = [.. earlier.Latency, .. run.Latency],
        Agreement = [.. earlier.Agreement, .. run.Agreement],
        Recall = [.. earlier.Recall, .. run.Recall],
        Ingest = run.Ingest ?? earlier.Ingest,
        IngestUnderLoad = run.IngestUnderLoad ?? earlier.IngestUnderLoad,
    };

    public static string Markdown(BenchRun run)
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(c, $"# ucofia bench, {run.Started:yyyy-MM-dd HH:mm}");
        s.AppendLine();
        s.AppendLine(c, $"Machine: {run.Machine}. Load average (1/5/15 min) before {run.LoadBefore}, after {run.LoadAfter}.");
        s.AppendLine(c, $"Model: `{run.Options.ModelPath}`. Pool {run.Options.Pool} encoded in {run.PoolEncodeSeconds:F1} s, noise {run.Options.Noise}.");
        s.AppendLine();
        s.AppendLine("## Fill (binary COPY, then HNSW build)");
        s.AppendLine();
        s.AppendLine("| videos | added | copy s | index build s | videos/s (copy) | feature bytes/video |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var f in run.Fills)
        {
            s.AppendLine(c, $"| {f.Size} | {f.Added} | {f.CopySeconds:F1} | {f.IndexSeconds:F1} | {(f.CopySeconds > 0 ? f.Added / f.CopySeconds : 0):F0} | {f.BytesPerVideo:F0} |");
        }
        s.AppendLine();
        s.AppendLine("## Search latency (ms; service stage timings, client total over HTTP)");
        s.AppendLine();
        s.AppendLine("| videos | conc. | cand. | encode p50/p95 | recall p50/p95 | fetch p50/p95 | rerank p50/p95 | total p50 / p95 / p99 | q/s | cache hits | failed |");
        s.AppendLine("|---:|---:|---:|---|---|---|---|---|---:|---:|---:|");
        foreach (var l in run.Latency)
        {
            s.AppendLine(c, $"| {l.Size} | {l.Concurrency} | {l.Candidates} | {l.Encode.P50:F1} / {l.Encode.P95:F1} | {l.Recall.P50:F1} / {l.Recall.P95:F1} | {l.Fetch.P50:F1} / {l.Fetch.P95:F1} | {l.Rerank.P50:F1} / {l.Rerank.P95:F1} | {l.Total.P50:F1} / {l.Total.P95:F1} / {l.Total.P99:F1} | {l.QueriesPerSecond:F1} | {l.CacheHitRate:P0} | {l.Failed} |");
        }
        s.AppendLine();
        s.AppendLine("## Agreement with exhaustive scoring (top-10)");
        s.AppendLine();
        s.AppendLine("Overlap = |two-stage top-10 ∩ exhaustive top-10| / 10, which here equals recall@10 of the true top-10. " +
            "\"In candidates\" = share of the true top-10 inside the recalled set (the ceiling for the re-rank).");
        s.AppendLine();
        s.AppendLine("| videos | candidates | overlap (mean) | overlap (min) | true top-10 in candidates | exhaustive query ms | queries failed |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var a in run.Agreement)
        {
            s.AppendLine(c, $"| {a.Size} | {a.Candidates} | {a.Overlap:F3} | {a.MinOverlap:F2} | {a.Contained:F3} | {a.ExhaustiveMs:F0} | {a.Failed} |");
        }
        s.AppendLine();
        s.AppendLine("## Recall sweep in-process (same SQL as the service): true top-10 in candidates, and recall ms p50");
        s.AppendLine();
        s.AppendLine("ef_search is raised to the candidate count when smaller (pgvector returns at most ef_search rows).");
        s.AppendLine();
        s.AppendLine("| videos | candidates | ef_search | true top-10 in candidates | recall ms p50 / p95 |");
        s.AppendLine("|---:|---:|---:|---:|---|");
        foreach (var r in run.Recall)
        {
            s.AppendLine(c, $"| {r.Size} | {r.Candidates} | {r.EfSearch} | {r.Contained:F3} | {r.RecallMs.P50:F1} / {r.RecallMs.P95:F1} |");
        }
        if (run.Ingest is { } i)
        {
            s.AppendLine();
            s.AppendLine("## Ingestion of MP4s through the service");
            s.AppendLine();
            s.AppendLine(c, $"{i.Videos} videos, {i.VideoSeconds:F0} s of video in {i.WallSeconds:F1} s wall: **{i.RealTimeFactor:F1}× real time** ({i.RealTimeFactor / i.Cores:F1}× per core, {i.Cores} cores). Stage time summed over jobs (jobs overlap): {Stages(i)}.");
            if (run.IngestUnderLoad is { } l)
            {
                s.AppendLine();
                s.AppendLine(c, $"The same {l.Videos} videos again while {l.LoadClients} clients searched without pause ({l.LoadSearches} searches, {l.LoadFailedSearches} failed): {l.WallSeconds:F1} s wall, **{l.RealTimeFactor:F1}× real time, {l.RealTimeFactor / i.RealTimeFactor:P0} of the job rate alone**. Stage time: {Stages(l)}.");
            }
        }
        return s.ToString();
    }

    private static string Stages(IngestResult ingest) =>
        string.Join(", ", ingest.StageSeconds.Select(kv => kv.Key + " " + kv.Value.ToString("F2", CultureInfo.InvariantCulture) + " s"));

    /// <summary>log10 of milliseconds on the y axis: stages span 0.1 ms (cached fetch) to seconds (contended re-rank).</summary>
    private static void PlotLatency(BenchRun run, string path)
    {
        var plot = new ScottPlot.Plot();
        foreach (var concurrency in run.Latency.Select(l => l.Concurrency).Distinct())
        {
            var rows = run.Latency.Where(l => l.Concurrency == concurrency).OrderBy(l => l.Size).ToList();
            var xs = rows.Select(r => Math.Log10(r.Size)).ToArray();
            Line(plot, xs, Log(rows.Select(r => r.Total.P95)), $"total p95, c={concurrency}");
            Line(plot, xs, Log(rows.Select(r => r.Total.P50)), $"total p50, c={concurrency}");
            if (concurrency == run.Latency[0].Concurrency)
            {
                Line(plot, xs, Log(rows.Select(r => r.Rerank.P50)), $"rerank p50, c={concurrency}");
                Line(plot, xs, Log(rows.Select(r => r.Recall.P50)), $"recall p50, c={concurrency}");
                Line(plot, xs, Log(rows.Select(r => r.Encode.P50)), $"encode p50, c={concurrency}");
                Line(plot, xs, Log(rows.Select(r => r.Fetch.P50)), $"fetch p50, c={concurrency}");
            }
        }
        plot.Add.HorizontalLine(Math.Log10(50)).LegendText = "target: total p95 50 ms";
        plot.Title("Text→video latency vs gallery size (candidates " + run.Latency.FirstOrDefault()?.Candidates + ")");
        plot.XLabel("log10(videos)");
        plot.YLabel("log10(ms)");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, 900, 560);
    }

    private static double[] Log(IEnumerable<double> values) => values.Select(v => Math.Log10(Math.Max(v, 0.01))).ToArray();

    private static void PlotAgreement(BenchRun run, string path)
    {
        var plot = new ScottPlot.Plot();
        foreach (var size in run.Agreement.Select(a => a.Size).Distinct())
        {
            var rows = run.Agreement.Where(a => a.Size == size).OrderBy(a => a.Candidates).ToList();
            var xs = rows.Select(r => Math.Log10(r.Candidates)).ToArray();
            Line(plot, xs, rows.Select(r => r.Overlap).ToArray(), $"{size} videos: top-10 overlap");
            Line(plot, xs, rows.Select(r => r.Contained).ToArray(), $"{size} videos: true top-10 in candidates");
        }
        plot.Add.HorizontalLine(0.99).LegendText = "target 0.99";
        plot.Title("Two-stage vs exhaustive agreement");
        plot.XLabel("log10(candidates)");
        plot.YLabel("share of the true top-10");
        plot.ShowLegend();
        plot.SavePng(path, 900, 560);
    }

    private static void Line(ScottPlot.Plot plot, double[] xs, double[] ys, string label)
    {
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = label;
    }
}
