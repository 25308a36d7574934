using System.CommandLine;
using Microsoft.Extensions.Options;
using Spectre.Console;
using UCoFIA.Service.Extensions;
using UCoFIA.Service.Ingestion;
using UCoFIA.Service.Options;
using UCoFIA.Storage;

namespace UCoFIA.Cli.Commands;

/// <summary>How <c>ucofia reindex</c> ends: its exit code.</summary>
public enum ReindexExit
{
    /// <summary>The gallery is bound to the target.</summary>
    Finished = 0,

    /// <summary>It could not start or go on; the message says why.</summary>
    Failed = 1,

    /// <summary>It stopped short of the rebind; the output says what is left and what to do.</summary>
    Unfinished = 2,

    /// <summary>Ctrl-C; a rerun resumes.</summary>
    Interrupted = 130,
}

/// <summary>
/// <c>ucofia reindex</c>: re-encodes the stored videos from their kept originals for another model or other segment
/// settings, with the service stopped; resumable, with a line of progress per video.
/// </summary>
public static class ReindexCommand
{
    public static Command Create()
    {
        var connection = new Option<string?>("--connection") { Description = "Npgsql connection string of the service's database (default: ConnectionStrings__Postgres, as the service)" };
        var model = new Option<string?>("--model") { Description = "Model folder to encode with (default: Model__Path, as the service)" };
        var device = new Option<string?>("--device") { Description = "auto, cpu or cuda (default: Model__Device)" };
        var data = new Option<string?>("--data") { Description = "The service's data folder, whose originals/ holds the kept originals (default: Storage__DataDirectory)" };
        var segment = new Option<double?>("--segment-seconds") { Description = "Segment length (default: Ingest__SegmentSeconds, 16)" };
        var stride = new Option<double?>("--stride-seconds") { Description = "A segment starts every so many seconds (default: Ingest__SegmentStrideSeconds, 12)" };
        var restart = new Option<bool>("--restart") { Description = "Replace a reindex under way for another model or other segment settings" };
        var drop = new Option<bool>("--drop-unrecoverable") { Description = "Delete the videos that have no original to re-encode from, so a new model can be bound" };
        var command = new Command("reindex", "Re-encode the stored videos from their kept originals for a new model or new segment settings (service stopped; resumable)")
        {
            connection, model, device, data, segment, stride, restart, drop,
        };
        command.SetAction(async (result, ct) =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = result.GetValue(connection),
                [$"{ModelOptions.Section}:{nameof(ModelOptions.Path)}"] = result.GetValue(model),
                [$"{ModelOptions.Section}:{nameof(ModelOptions.Device)}"] = result.GetValue(device),
                [$"{StorageOptions.Section}:{nameof(StorageOptions.DataDirectory)}"] = result.GetValue(data),
                [$"{IngestOptions.Section}:{nameof(IngestOptions.SegmentSeconds)}"] = result.GetValue(segment)?.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                [$"{IngestOptions.Section}:{nameof(IngestOptions.SegmentStrideSeconds)}"] = result.GetValue(stride)?.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            };
            // An option not given leaves the service's own setting in place.
            var given = settings.Where(s => s.Value is not null).ToDictionary();
            var console = AnsiConsole.Console;
            if (Console.IsOutputRedirected)
            {
                // A log gets whole lines, not lines cut at the 80 columns Spectre assumes without a terminal.
                console.Profile.Width = 4096;
            }
            return (int)await RunAsync(given, new ReindexRequest(result.GetValue(restart), result.GetValue(drop)), console, ct);
        });
        return command;
    }

    /// <summary>Runs the reindex, printing a line per step and a summary.</summary>
    /// <param name="settings">Configuration keys as the service reads them, over its own configuration.</param>
    public static async Task<ReindexExit> RunAsync(IReadOnlyDictionary<string, string?> settings, ReindexRequest request, IAnsiConsole console, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(console);
        ReindexReport report;
        try
        {
            report = await ReindexHost.RunAsync(settings, request, p => console.MarkupLine(Line(p)), ct);
        }
        catch (Exception e) when (e is ReindexException or OptionsValidationException)
        {
            console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return ReindexExit.Failed;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]interrupted[/]: every video re-encoded so far is kept; run the same command again to resume.");
            return ReindexExit.Interrupted;
        }
        Summarise(report, console);
        return report.Finished ? ReindexExit.Finished : ReindexExit.Unfinished;
    }

    private static string Line(ReindexProgress p) =>
        $"[grey]{p.Elapsed:hh\\:mm\\:ss}[/] {p.Stage} {p.Done}/{p.Total}  {Markup.Escape(p.Message)}" +
        (p.Remaining is { } left ? $"  [grey](about {left:hh\\:mm\\:ss} left)[/]" : "");

    private static void Summarise(ReindexReport report, IAnsiConsole console)
    {
        var unrecoverable = report.Left.Where(v => v.Unrecoverable).ToList();
        var failed = report.Left.Where(v => !v.Unrecoverable).ToList();
        var counts = $"{report.Reencoded} videos re-encoded ({report.Resumed} more by earlier runs), {report.Segments} segments written" +
            (report.ModelChanges ? $", {report.Captions} captions re-encoded" : "") + $", in {report.Elapsed:hh\\:mm\\:ss}";
        if (report.Finished)
        {
            console.MarkupLine($"[green]finished[/]: {Markup.Escape(counts)}. The gallery is bound to {Markup.Escape(report.Target.Describe())}; " +
                "start the service with that model and those Ingest:Segment settings.");
            Videos(console, report.Dropped ? "deleted (no original):" : "kept with their old segments (no original to re-encode from):", unrecoverable);
            return;
        }
        console.MarkupLine($"[yellow]not finished[/]: {Markup.Escape(counts)}. The gallery stays marked as being re-encoded, and a service " +
            "refuses to start on it until a rerun of this command finishes.");
        Videos(console, "failed:", failed);
        Videos(console, "no original to re-encode from:", unrecoverable);
        if (failed.Count > 0)
        {
            console.MarkupLine("Fix what stopped the failed ones and run the same command again: it re-encodes only what is left.");
        }
        if (unrecoverable.Count > 0 && report.ModelChanges)
        {
            console.MarkupLine("A new model's features cannot be mixed with the old one's. Put those originals back (the paths above) and run " +
                "again, or run again with --drop-unrecoverable to delete those videos.");
        }
    }

    private static void Videos(IAnsiConsole console, string heading, IReadOnlyList<LeftVideo> videos)
    {
        if (videos.Count == 0)
        {
            return;
        }
        console.MarkupLine(Markup.Escape($"{videos.Count} {heading}"));
        foreach (var video in videos)
        {
            console.MarkupLine(Markup.Escape($"  {video.Id} {video.Title ?? "(no title)"}: {video.Reason}"));
        }
    }
}
