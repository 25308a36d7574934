using System.CommandLine;
using Spectre.Console;
using UCoFIA.Training;

namespace UCoFIA.Cli.Commands;

/// <summary><c>ucofia train</c>: contrastive training on the synthetic corpus or a real dataset folder.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Model folder to write (HF CLIP layout + training.json + sk_bank.txt)", Required = true };
        var data = new Option<string>("--data") { Description = "'synthetic' or a folder with captions.jsonl ({video, caption} lines) or MSR-VTT's JSON", DefaultValueFactory = _ => "synthetic" };
        var initFrom = new Option<string?>("--init-from") { Description = "Folder to start from: a Hugging Face CLIP checkpoint, or a UCoFIA model folder (warm restart)" };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 2000 };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 32 };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (new modules; everything when training from scratch)", DefaultValueFactory = _ => 1e-3 };
        var clipLr = new Option<double>("--clip-lr") { Description = "Peak learning rate of the CLIP towers with --init-from", DefaultValueFactory = _ => 1e-7 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var resume = new Option<bool>("--resume") { Description = "Continue from the last checkpoint" };
        var checkpointEvery = new Option<int>("--checkpoint-every") { DefaultValueFactory = _ => 200 };
        var checkpointDir = new Option<string?>("--checkpoint-dir") { Description = "Where checkpoints go (default: $TMPDIR/ucofia-checkpoints/<out name>)" };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => 2 };
        var trainClips = new Option<int>("--train-clips") { Description = "Synthetic: clips of the fixed training-distribution sample (tokenizer text, Sinkhorn–Knopp bank); training itself runs on a fresh stream", DefaultValueFactory = _ => 500 };
        var hardShare = new Option<double>("--hard-share") { Description = "Synthetic: share of each batch in hard-negative groups of 4 (clips that differ in one attribute)", DefaultValueFactory = _ => 0.5 };
        var maxSeconds = new Option<int>("--max-seconds") { Description = "Stop and save after this long (0: no limit)", DefaultValueFactory = _ => 0 };
        var command = new Command("train", "Train a UCoFIA model")
        {
            output, data, initFrom, steps, batch, lr, clipLr, seed, resume, checkpointEvery, checkpointDir, threads, trainClips, hardShare, maxSeconds,
        };
        command.SetAction(async (result, ct) =>
        {
            var options = new TrainOptions
            {
                Output = result.GetValue(output)!,
                Data = result.GetValue(data)!,
                InitFrom = result.GetValue(initFrom),
                Steps = result.GetValue(steps),
                Batch = result.GetValue(batch),
                LearningRate = result.GetValue(lr),
                ClipLearningRate = result.GetValue(clipLr),
                Seed = result.GetValue(seed),
                Resume = result.GetValue(resume),
                CheckpointEvery = result.GetValue(checkpointEvery),
                CheckpointDir = result.GetValue(checkpointDir),
                Threads = result.GetValue(threads),
                TrainClips = result.GetValue(trainClips),
                HardShare = result.GetValue(hardShare),
                MaxSeconds = result.GetValue(maxSeconds),
            };
            await RunAsync(options, ct);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(TrainOptions options, CancellationToken ct)
    {
        TrainingRun.Summary summary;
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            summary = await AnsiConsole.Progress().StartAsync(async context =>
            {
                var bar = context.AddTask("training", maxValue: options.Steps);
                return await TrainingRun.RunAsync(options, Console.Out, new BarProgress(bar), ct);
            });
        }
        else
        {
            summary = await TrainingRun.RunAsync(options, Console.Out, new LineProgress(), ct);
        }
        AnsiConsole.MarkupLine($"saved [bold]{Markup.Escape(options.Output)}[/] after {summary.Steps} steps, {summary.WallSeconds:F0} s");
        if (summary.Metrics is not null)
            AnsiConsole.WriteLine(summary.Metrics.ToJsonString());
    }

    /// <summary>Synchronous (unlike <see cref="Progress{T}"/>, which posts to the thread pool), so the bar never runs behind.</summary>
    private sealed class BarProgress(ProgressTask bar) : IProgress<TrainingStep>
    {
        public void Report(TrainingStep step)
        {
            bar.Description = $"step {step.Step}/{step.TotalSteps} loss {step.Loss:F3} {step.ClipsPerSecond:F1} clips/s";
            bar.Value = step.Step;
        }
    }

    /// <summary>For logs and pipes: the first step of the run, then every tenth.</summary>
    private sealed class LineProgress : IProgress<TrainingStep>
    {
        private bool _first = true;

        public void Report(TrainingStep step)
        {
            if (_first || step.Step % 10 == 0)
                Console.WriteLine($"step {step.Step}/{step.TotalSteps} loss {step.Loss:F4} lr {step.LearningRate:E2} {step.ClipsPerSecond:F1} clips/s {step.ElapsedSeconds:F0}s");
            _first = false;
        }
    }
}
