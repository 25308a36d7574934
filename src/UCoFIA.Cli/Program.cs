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
foreach (var command in ClientCommands.Create())
{
    root.Subcommands.Add(command);
}
return await root.Parse(args).InvokeAsync();
