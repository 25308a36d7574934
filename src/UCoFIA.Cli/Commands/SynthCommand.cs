using System.CommandLine;
using Spectre.Console;
using UCoFIA.Media.Synthetic;
using UCoFIA.Training.Data;

namespace UCoFIA.Cli.Commands;

/// <summary><c>ucofia synth</c>: writes the seeded synthetic corpus (captions.jsonl, and MP4s with --mp4).</summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder to write the corpus to", Required = true };
        var seed = new Option<int>("--seed") { Description = "Generator seed", DefaultValueFactory = _ => 1 };
        var train = new Option<int>("--train") { Description = "Training clips", DefaultValueFactory = _ => 1000 };
        var val = new Option<int>("--val") { Description = "Validation clips", DefaultValueFactory = _ => 200 };
        var test = new Option<int>("--test") { Description = "Test clips", DefaultValueFactory = _ => 200 };
        var hard = new Option<int>("--hard") { Description = "Hard-test groups (clips differing only in the small object)", DefaultValueFactory = _ => 50 };
        var mp4 = new Option<bool>("--mp4") { Description = "Also encode every clip to videos/<id>.mp4 with ffmpeg" };
        // The shipped model's input size, so its small objects are not upscaled from a smaller rendering.
        var size = new Option<int>("--size") { Description = "Frame width and height of the MP4s in pixels (even)", DefaultValueFactory = _ => 128 };
        var command = new Command("synth", "Generate the synthetic video-caption corpus") { output, seed, train, val, test, hard, mp4, size };
        command.SetAction(async (result, ct) =>
        {
            var options = new CorpusOptions(result.GetValue(train), result.GetValue(val), result.GetValue(test), result.GetValue(hard),
                ImageSize: result.GetValue(size));
            var folder = result.GetValue(output)!;
            var corpus = SyntheticData.Generate(result.GetValue(seed), options);
            if (result.GetValue(mp4))
            {
                var total = corpus.All.Count();
                await AnsiConsole.Progress().StartAsync(async context =>
                {
                    var task = context.AddTask("encoding clips", maxValue: total);
                    await CorpusWriter.WriteAsync(corpus, options, folder, ct, new Progress<int>(done => task.Value = done));
                });
            }
            else
            {
                await SyntheticData.WriteCaptionsAsync(corpus, folder, ct);
            }
            AnsiConsole.MarkupLine($"wrote {corpus.Train.Count} train, {corpus.Validation.Count} validation, {corpus.Test.Count} test and {corpus.HardTest.Count} hard-test clips to [bold]{Markup.Escape(folder)}[/]");
            return 0;
        });
        return command;
    }
}
