using System.CommandLine;
using UCoFIA.Cli.Bench;
using UCoFIA.Cli.Client;
using UCoFIA.Cli.Commands;

var root = new RootCommand("ucofia: train, evaluate and operate UCoFIA video-text search");
root.Subcommands.Add(SynthCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(ConvertCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ReindexCommand.Create());
foreach (var command in ClientCommands.Create())
{
    root.Subcommands.Add(command);
}
return await ExitCodes.InvokeAsync(root.Parse(args));

/// <summary>
/// Internal on purpose: the Cli references the service, whose framework would otherwise make this class public, and
/// the service's tests host the service's own public <c>Program</c>.
/// </summary>
internal partial class Program;
