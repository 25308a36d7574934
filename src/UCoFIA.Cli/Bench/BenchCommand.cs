using System.CommandLine;

namespace UCoFIA.Cli.Bench;

/// <summary><c>ucofia bench</c>: fills a gallery, drives the running service and writes a performance report.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Benchmark gallery fill, search latency, agreement with exhaustive scoring and ingestion");
        command.SetAction((_, _) => Task.FromResult(0));
        return command;
    }
}
