using System.Text.Json;
using System.Text.Json.Nodes;
using UCoFIA.Model;

namespace UCoFIA.Training;

/// <summary>
/// Writes the shipped model folder: the HF-style files from <see cref="UCoFIAModel.Save"/> (fp16), plus
/// training.json (how it was made) and sk_bank.txt (training captions, the service's Sinkhorn–Knopp query bank).
/// </summary>
public static class ModelFolder
{
    public const string TrainingFile = "training.json";
    public const string SkBankFile = "sk_bank.txt";

    public static void Write(UCoFIAModel model, TrainOptions options, IReadOnlyList<string> trainingCaptions, int steps,
        double seconds, double? lastLoss, JsonNode? metrics)
    {
        model.Save(options.Output, fp16: true);
        // A fixed, seeded choice of distinct training captions.
        var random = new Random(options.Seed);
        var bank = trainingCaptions.Distinct().OrderBy(_ => random.Next()).Take(options.SkBankSize).ToArray();
        File.WriteAllLines(Path.Combine(options.Output, SkBankFile), bank);
        var training = new JsonObject
        {
            ["seed"] = options.Seed,
            ["data"] = options.Data,
            ["init_from"] = options.InitFrom,
            ["synthetic_corpus"] = options.Data == "synthetic"
                ? new JsonObject
                {
                    ["seed"] = options.Seed, ["train"] = options.TrainClips, ["test"] = options.TestClips, ["hard_groups"] = options.HardGroups,
                    ["training"] = "fresh stream", ["hard_share"] = options.HardShare, ["hard_group_size"] = options.HardGroupSize,
                }
                : null,
            ["steps_planned"] = options.Steps,
            ["steps_done"] = steps,
            ["batch"] = options.Batch,
            ["lr"] = options.LearningRate,
            ["clip_lr"] = options.InitFrom is null ? null : options.ClipLearningRate,
            ["weight_decay"] = options.WeightDecay,
            ["warmup_fraction"] = options.WarmupFraction,
            ["schedule"] = "linear warm-up, cosine decay to 0",
            ["optimizer"] = "AdamW, gradient norm clipped at 1",
            ["beta2"] = options.Beta2,
            ["eps"] = options.Epsilon,
            ["loss"] = "InfoNCE(unified) + mean(InfoNCE(video), InfoNCE(frame), InfoNCE(patch)), symmetric",
            ["vocab_size"] = options.VocabSize,
            ["threads"] = options.Threads,
            ["wall_seconds"] = Math.Round(seconds, 1),
            ["last_loss"] = lastLoss is null ? null : Math.Round(lastLoss.Value, 4),
            ["parameters"] = model.Parameters().Sum(p => p.numel()),
            ["final_metrics"] = metrics,
        };
        File.WriteAllText(Path.Combine(options.Output, TrainingFile), training.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
    }
}
