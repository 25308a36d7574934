using System.CommandLine;
using UCoFIA.Cli.Client;

namespace UCoFIA.Cli.Bench;

/// <summary>
/// <c>ucofia bench</c>: fills a gallery by binary COPY, drives the running service over HTTP and writes a performance
/// report (report.md, bench.json, PNG plots). The service must use the same database and model.
/// </summary>
public static class BenchCommand
{
    public static Command Create(Func<HttpMessageHandler>? handler = null)
    {
        var connection = new Option<string>("--connection") { Description = "Npgsql connection string of the service's database", DefaultValueFactory = _ => "Host=127.0.0.1;Port=5433;Database=ucofia;Username=postgres" };
        var url = new Option<string>("--url") { Description = "Service base URL", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var model = new Option<string>("--model") { Description = "The service's model folder (query vectors for the recall sweep, pool encoding)", DefaultValueFactory = _ => "models/default" };
        var sizes = new Option<string>("--sizes") { Description = "Gallery sizes, comma-separated", DefaultValueFactory = _ => "1000,10000,100000" };
        var queries = new Option<int>("--queries") { Description = "Queries per latency run", DefaultValueFactory = _ => 100 };
        var agreementQueries = new Option<int>("--agreement-queries") { Description = "Queries compared with exhaustive scoring", DefaultValueFactory = _ => 30 };
        var candidates = new Option<string>("--candidates") { Description = "Candidate counts for the agreement sweep", DefaultValueFactory = _ => "50,200,1000" };
        var ef = new Option<string>("--ef") { Description = "ef_search values for the in-process recall sweep", DefaultValueFactory = _ => "40,100,200" };
        var concurrency = new Option<string>("--concurrency") { Description = "Client concurrency levels", DefaultValueFactory = _ => "1,8" };
        var pool = new Option<int>("--pool") { Description = "Distinct synthetic videos encoded with the model", DefaultValueFactory = _ => 1000 };
        var noise = new Option<double>("--noise") { Description = "Norm of the Gaussian perturbation of each unit feature", DefaultValueFactory = _ => 0.3 };
        var ingest = new Option<int>("--ingest-videos") { Description = "MP4s uploaded for the ingestion run (0 skips it)", DefaultValueFactory = _ => 6 };
        var ingestSeconds = new Option<double>("--ingest-seconds") { Description = "Length of each uploaded MP4", DefaultValueFactory = _ => 20 };
        var ingestSize = new Option<int>("--ingest-size") { Description = "Frame size of each uploaded MP4 (even)", DefaultValueFactory = _ => 256 };
        var loadClients = new Option<int>("--load-clients") { Description = "Ingest the MP4s a second time while this many clients search without pause (0 skips it)", DefaultValueFactory = _ => 0 };
        var warmup = new Option<int>("--warmup") { Description = "Searches before each latency run, at least every query once (a fresh service is still compiling its hot paths for its first few hundred)", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Report folder", DefaultValueFactory = _ => "docs/bench" };
        var previous = new Option<string?>("--previous") { Description = "bench.json of an earlier run on the same gallery (smaller sizes): its rows are kept in the report and plots" };
        var reportFrom = new Option<string?>("--report-from") { Description = "Only rewrite report.md and the plots from this bench.json (no service, no database needed)" };
        var seed = new Option<int>("--seed") { Description = "Corpus and noise seed", DefaultValueFactory = _ => 1 };
        var command = new Command("bench", "Benchmark gallery fill, search latency, agreement with exhaustive scoring and ingestion")
        {
            connection, url, model, sizes, queries, agreementQueries, candidates, ef, concurrency, pool, noise, ingest, ingestSeconds, ingestSize, loadClients, warmup, output, seed, previous, reportFrom,
        };
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(reportFrom) is { } saved)
            {
                await BenchReport.WriteAsync(await BenchReport.ReadAsync(saved, ct), result.GetValue(output)!, ct);
                return 0;
            }
            var options = new BenchOptions(
                result.GetValue(connection)!, new Uri(result.GetValue(url)!.TrimEnd('/') + "/"), result.GetValue(model)!,
                Ints(result.GetValue(sizes)!), result.GetValue(queries), result.GetValue(agreementQueries),
                Ints(result.GetValue(candidates)!), Ints(result.GetValue(ef)!), Ints(result.GetValue(concurrency)!),
                result.GetValue(pool), result.GetValue(noise), result.GetValue(ingest), result.GetValue(ingestSeconds),
                result.GetValue(ingestSize), result.GetValue(output)!, result.GetValue(seed), result.GetValue(loadClients), result.GetValue(warmup));
            using var http = ServiceClient.Create(options.ServiceUrl.ToString(), apiKey: null, handler?.Invoke());
            var run = await new BenchRunner(options, new ServiceClient(http), Console.Out).RunAsync(ct);
            if (result.GetValue(previous) is { } earlier)
            {
                run = BenchReport.Merge(await BenchReport.ReadAsync(earlier, ct), run);
            }
            await BenchReport.WriteAsync(run, options.OutputFolder, ct);
            Console.WriteLine($"wrote {Path.Combine(options.OutputFolder, "report.md")}");
            return 0;
        });
        return command;
    }

    private static List<int> Ints(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToList();
}
