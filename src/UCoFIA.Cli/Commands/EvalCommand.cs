using System.CommandLine;
using Spectre.Console;
using UCoFIA.Model;
using UCoFIA.Training.Evaluation;

namespace UCoFIA.Cli.Commands;

/// <summary><c>ucofia eval</c>: retrieval metrics and the inference-time ablation table of one trained model.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var modelOption = new Option<string>("--model") { Description = "Model folder", DefaultValueFactory = _ => "models/default" };
        var split = new Option<string>("--split") { Description = "test, hard-test or validation", DefaultValueFactory = _ => "test" };
        var seed = new Option<int?>("--seed") { Description = "Corpus seed (default: the one in training.json)" };
        var bank = new Option<int>("--bank") { Description = "Sinkhorn–Knopp bank size (training captions / clips)", DefaultValueFactory = _ => 500 };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => 2 };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the table to this Markdown file" };
        var plot = new Option<string?>("--plot") { Description = "Also write a PNG bar plot of text→video R@1 per row" };
        var skipAllPatches = new Option<bool>("--skip-all-patches") { Description = "Leave out the \"all patches\" row, which costs more than all the others together" };
        var clips = new Option<int?>("--clips") { Description = "Only the first N clips of the split (whole groups on hard-test): a cheaper table, e.g. for the \"all patches\" row" };
        var command = new Command("eval", "Evaluate a model on the synthetic corpus it was trained with") { modelOption, split, seed, bank, threads, markdown, plot, skipAllPatches, clips };
        command.SetAction(result =>
        {
            var folder = result.GetValue(modelOption)!;
            using var model = UCoFIAModel.Load(folder, "cpu", result.GetValue(threads));
            var report = ModelEvaluation.Run(model, folder, result.GetValue(split)!, result.GetValue(seed), result.GetValue(bank),
                new Progress<string>(step => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(step)}[/]")), !result.GetValue(skipAllPatches), result.GetValue(clips));
            var rows = report.Rows;
            var table = ResultsTable.Markdown(rows);
            Console.WriteLine($"split {result.GetValue(split)}, {report.Clips} clips, corpus seed {report.CorpusSeed}");
            Console.WriteLine(table);
            if (result.GetValue(markdown) is { } md)
                File.WriteAllText(md, table);
            if (result.GetValue(plot) is { } png)
                ResultsTable.Plot(rows, png, $"text→video R@1, {result.GetValue(split)} split");
            return 0;
        });
        return command;
    }
}
