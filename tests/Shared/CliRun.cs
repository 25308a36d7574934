using System.CommandLine;
using UCoFIA.Cli.Client;

namespace UCoFIA.Tests.Shared;

/// <summary>What a run of <c>ucofia ingest</c> or <c>ucofia search</c> printed and exited with.</summary>
public sealed record CliOutcome(int ExitCode, string Output, string Error)
{
    /// <summary>The error output's lines; a failure must be said in one line, with no stack trace.</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Runs the CLI's client commands as Program does, with <paramref name="handler"/> in place of the network.</summary>
public static class CliRun
{
    public static async Task<CliOutcome> RunAsync(Func<HttpMessageHandler>? handler, params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in ClientCommands.Create(handler))
        {
            root.Subcommands.Add(command);
        }
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ExitCodes.InvokeAsync(root.Parse(args), new InvocationConfiguration { Output = output, Error = error });
        return new CliOutcome(code, output.ToString(), error.ToString());
    }
}
