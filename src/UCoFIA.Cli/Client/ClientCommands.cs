using System.CommandLine;
using Spectre.Console;

namespace UCoFIA.Cli.Client;

/// <summary><c>ucofia ingest</c> and <c>ucofia search</c>: the HTTP API from the command line.</summary>
public static class ClientCommands
{
    public static IEnumerable<Command> Create()
    {
        var url = new Option<string>("--url") { Description = "Service address", DefaultValueFactory = _ => "http://localhost:8080" };
        var apiKey = new Option<string?>("--api-key") { Description = "Sent as X-Api-Key (or set UCOFIA_API_KEY)" };

        var inputs = new Argument<string[]>("inputs") { Description = "Video files or folders (searched recursively)", Arity = ArgumentArity.OneOrMore };
        var parallel = new Option<int>("--parallel") { Description = "Uploads at once", DefaultValueFactory = _ => 4 };
        var state = new Option<string>("--state") { Description = "Resume file: finished uploads are skipped next time", DefaultValueFactory = _ => IngestRunner.DefaultStateFile };
        var ingest = new Command("ingest", "Upload videos to a running service (parallel, resumable, with progress)") { inputs, url, apiKey, parallel, state };
        ingest.SetAction(async (result, ct) =>
        {
            using var http = ServiceClient.Create(result.GetValue(url)!, Key(result.GetValue(apiKey)));
            var files = IngestRunner.ExpandInputs(result.GetValue(inputs)!);
            var summary = await IngestRunner.RunAsync(new ServiceClient(http), files, result.GetValue(parallel), result.GetValue(state)!, AnsiConsole.Console, ct);
            AnsiConsole.MarkupLine($"ingested {summary.Ingested}, skipped {summary.Skipped} already done, failed {summary.Failed.Count}");
            foreach (var (path, error) in summary.Failed)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(path)}[/]: {Markup.Escape(error)}");
            }
            return summary.Failed.Count == 0 ? 0 : 1;
        });

        var text = new Argument<string>("text") { Description = "What to look for" };
        var top = new Option<int>("--top") { Description = "How many videos", DefaultValueFactory = _ => 10 };
        var search = new Command("search", "Search a running service by text; prints a table with moments") { text, url, apiKey, top };
        search.SetAction(async (result, ct) =>
        {
            using var http = ServiceClient.Create(result.GetValue(url)!, Key(result.GetValue(apiKey)));
            await SearchRunner.RunAsync(new ServiceClient(http), result.GetValue(text)!, result.GetValue(top), AnsiConsole.Console, ct);
            return 0;
        });
        return [ingest, search];
    }

    private static string? Key(string? option) => option ?? Environment.GetEnvironmentVariable("UCOFIA_API_KEY");
}
