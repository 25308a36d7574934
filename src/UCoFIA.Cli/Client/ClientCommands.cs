using System.CommandLine;
using Spectre.Console;

namespace UCoFIA.Cli.Client;

/// <summary>
/// <c>ucofia ingest</c> and <c>ucofia search</c>: the HTTP API from the command line. Output goes to the invocation's
/// output, each error as one line to its error writer, with an <see cref="ExitCodes"/> value.
/// </summary>
public static class ClientCommands
{
    /// <param name="handler">the connection handler (tests put the in-process service here)</param>
    public static IEnumerable<Command> Create(Func<HttpMessageHandler>? handler = null)
    {
        var url = new Option<string>("--url") { Description = "Service address", DefaultValueFactory = _ => "http://localhost:8080" };
        var apiKey = new Option<string?>("--api-key") { Description = "Sent as X-Api-Key (or set UCOFIA_API_KEY)" };

        var inputs = new Argument<string[]>("inputs") { Description = "Video files or folders (searched recursively)", Arity = ArgumentArity.OneOrMore };
        var parallel = new Option<int>("--parallel") { Description = "Uploads at once", DefaultValueFactory = _ => 4 };
        var state = new Option<string>("--state") { Description = "Resume file: finished uploads are skipped next time", DefaultValueFactory = _ => IngestRunner.DefaultStateFile };
        var captions = new Option<string?>("--captions")
        {
            Description = "JSONL of {\"video\": path, \"caption\": text} lines, as 'ucofia synth' writes; paths relative to an ingested folder or to this file's folder",
        };
        var metadata = new Option<string?>("--metadata") { Description = "A JSON object stored with every uploaded video, e.g. '{\"source\": \"archive\"}'" };
        var ingest = new Command("ingest", "Upload videos to a running service (parallel, resumable, with progress)")
        {
            inputs, url, apiKey, parallel, state, captions, metadata,
        };
        ingest.SetAction((result, ct) => ClientErrors.RunAsync(result.InvocationConfiguration.Error, async () =>
        {
            var files = IngestRunner.ExpandInputs(result.GetValue(inputs)!);
            var fields = UploadFields.Create(result.GetValue(metadata), result.GetValue(captions), result.GetValue(inputs)!.Where(Directory.Exists), files);
            using var http = Http(result, url, apiKey, handler);
            var console = Console(result);
            if (fields.UnmatchedCaptions > 0)
            {
                console.MarkupLine($"[yellow]{fields.UnmatchedCaptions} caption line(s) name no file being ingested[/]");
            }
            var summary = await IngestRunner.RunAsync(new ServiceClient(http), files, fields, result.GetValue(parallel), result.GetValue(state)!, console, ct);
            console.MarkupLine($"ingested {summary.Ingested}, skipped {summary.Skipped} already done, failed {summary.Failed.Count}");
            foreach (var (path, error) in summary.Failed)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"error: {path}: {error}");
            }
            return summary.Failed.Count == 0 ? ExitCodes.Ok : ExitCodes.SomeFilesFailed;
        }));

        var text = new Argument<string>("text") { Description = "What to look for" };
        var top = new Option<int>("--top") { Description = "How many videos", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print the service's JSON response as it is, instead of a table" };
        var search = new Command("search", "Search a running service by text; prints a table with moments") { text, url, apiKey, top, json };
        search.SetAction((result, ct) => ClientErrors.RunAsync(result.InvocationConfiguration.Error, async () =>
        {
            using var http = Http(result, url, apiKey, handler);
            var client = new ServiceClient(http);
            if (result.GetValue(json))
            {
                var body = await client.SearchAsync(result.GetValue(text)!, result.GetValue(top), ct);
                await result.InvocationConfiguration.Output.WriteLineAsync(body.GetRawText());
            }
            else
            {
                await SearchRunner.RunAsync(client, result.GetValue(text)!, result.GetValue(top), Console(result), ct);
            }
            return ExitCodes.Ok;
        }));
        return [ingest, search];
    }

    private static HttpClient Http(ParseResult result, Option<string> url, Option<string?> apiKey, Func<HttpMessageHandler>? handler)
    {
        var address = result.GetValue(url)!;
        return Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? ServiceClient.Create(address, result.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("UCOFIA_API_KEY"), handler?.Invoke())
            : throw new UsageException($"--url {address} is not an http:// or https:// address.");
    }

    private static IAnsiConsole Console(ParseResult result) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(result.InvocationConfiguration.Output) });
}
