using System.CommandLine;
using UCoFIA.Cli.Commands;

namespace UCoFIA.Cli.Tests;

public class SynthCommandTests
{
    private static async Task<string> Synth(int seed)
    {
        var folder = Directory.CreateTempSubdirectory("ucofia-synth").FullName;
        var root = new RootCommand { SynthCommand.Create() };
        var code = await root.Parse(["synth", "--out", folder, "--seed", seed.ToString(), "--train", "20", "--val", "5", "--test", "5", "--hard", "2"]).InvokeAsync();
        Assert.Equal(0, code);
        return await File.ReadAllTextAsync(Path.Combine(folder, "captions.jsonl"));
    }

    [Fact]
    public async Task Synth_SameSeed_SameCaptions()
    {
        var (a, b, other) = (await Synth(7), await Synth(7), await Synth(8));
        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
        Assert.Contains("\"split\":\"hard-test\"", a);
    }
}
