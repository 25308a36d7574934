using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using UCoFIA.Cli.Data;
using UCoFIA.Cli.Evaluation;
using UCoFIA.Cli.Training;
using UCoFIA.Media.Synthetic;

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
        var trainClips = new Option<int>("--train-clips") { Description = "Synthetic training clips", DefaultValueFactory = _ => 2000 };
        var maxSeconds = new Option<int>("--max-seconds") { Description = "Stop and save after this long (0: no limit)", DefaultValueFactory = _ => 0 };
        var command = new Command("train", "Train a UCoFIA model")
        {
            output, data, initFrom, steps, batch, lr, clipLr, seed, resume, checkpointEvery, checkpointDir, threads, trainClips, maxSeconds,
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
                MaxSeconds = result.GetValue(maxSeconds),
            };
            await RunAsync(options, ct);
            return 0;
        });
        return command;
    }

    public static async Task RunAsync(TrainOptions options, CancellationToken ct)
    {
        Corpus? corpus = null;
        ITrainingData data;
        if (options.Data == "synthetic")
        {
            corpus = SyntheticData.Generate(options.Seed, CorpusFromTraining.Options(options.TrainClips, options.TestClips, options.HardGroups));
            data = new SyntheticTrainingData(corpus.Train);
        }
        else
        {
            data = new RealTrainingData(RealDataset.Load(options.Data));
        }
        AnsiConsole.MarkupLine($"training on {data.Count} clips ({Markup.Escape(options.Data)}) for {options.Steps} steps of {options.Batch}");
        var trainer = new Trainer(options);
        using var model = await trainer.RunAsync(data, ct);
        JsonNode? metrics = null;
        if (corpus is not null)
        {
            var evaluator = new Evaluator(model);
            metrics = new JsonObject
            {
                ["test"] = Json(evaluator.Full(corpus.Test)),
                ["hard_test"] = Json(evaluator.Full(corpus.HardTest)),
            };
        }
        ModelFolder.Write(model, options, data.AllCaptions, trainer.FinalStep, trainer.WallSeconds,
            trainer.Losses.Count > 0 ? trainer.Losses[^1] : null, metrics);
        AnsiConsole.MarkupLine($"saved [bold]{Markup.Escape(options.Output)}[/] after {trainer.FinalStep} steps, {trainer.WallSeconds:F0} s");
        if (metrics is not null)
            AnsiConsole.WriteLine(metrics.ToJsonString());
    }

    private static JsonObject Json(AblationResult result) => new()
    {
        ["t2v"] = Json(result.TextToVideo),
        ["v2t"] = Json(result.VideoToText),
    };

    private static JsonObject Json(RetrievalMetrics m) => new()
    {
        ["R@1"] = Math.Round(m.R1, 1), ["R@5"] = Math.Round(m.R5, 1), ["R@10"] = Math.Round(m.R10, 1),
        ["MdR"] = m.MedianRank, ["MnR"] = Math.Round(m.MeanRank, 1), ["queries"] = m.Queries,
    };
}
