using System.Text.Json.Nodes;
using UCoFIA.Media.Synthetic;
using UCoFIA.Training.Data;
using UCoFIA.Training.Evaluation;

namespace UCoFIA.Training;

/// <summary>What <c>ucofia train</c> does: picks the data, trains, measures a synthetic run on its test splits, writes the model folder.</summary>
public static class TrainingRun
{
    /// <summary>Steps done (resumed ones included), wall time, and the test metrics written to training.json (synthetic data only).</summary>
    public sealed record Summary(int Steps, double WallSeconds, JsonNode? Metrics);

    public static async Task<Summary> RunAsync(TrainOptions options, TextWriter log, IProgress<TrainingStep>? progress, CancellationToken ct)
    {
        Corpus? corpus = null;
        ITrainingData data;
        if (options.Data == "synthetic")
        {
            var corpusOptions = CorpusFromTraining.Options(options.TrainClips, options.TestClips, options.HardGroups);
            corpus = SyntheticData.Generate(options.Seed, corpusOptions);
            data = new SyntheticStreamData(corpus, corpusOptions, options.Seed, options.HardShare, options.HardGroupSize);
        }
        else
        {
            data = new RealTrainingData(RealDataset.Load(options.Data), options.Seed);
        }
        log.WriteLine($"training on {data.Description} ({options.Data}) for {options.Steps} steps of {options.Batch}");
        var trainer = new Trainer(options, log);
        using var model = await trainer.RunAsync(data, progress, ct);
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
        return new Summary(trainer.FinalStep, trainer.WallSeconds, metrics);
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
