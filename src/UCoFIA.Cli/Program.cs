using System.CommandLine;
using UCoFIA.Cli.Commands;

var root = new RootCommand("ucofia: train, evaluate and operate UCoFIA video-text search");
root.Subcommands.Add(SynthCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
return await root.Parse(args).InvokeAsync();
