using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using UCoFIA.Model;
using UCoFIA.Training.Data;
using static TorchSharp.torch;

namespace UCoFIA.Training;

/// <summary>
/// Contrastive training of <see cref="UCoFIAModel"/>: loss = InfoNCE on the unified score + the mean of the three
/// per-granularity InfoNCE losses; AdamW with linear warm-up and cosine decay; every batch drawn from a
/// per-step seeded generator (<see cref="StepSeed"/>), so a resumed run sees the same batches as an uninterrupted one.
/// </summary>
/// <param name="log">notices that are not per-step progress (resumed, time limit reached)</param>
public sealed class Trainer(TrainOptions options, TextWriter log, UCoFIAConfig? configOverride = null)
{
    private const string StateFile = "trainer-state.json";
    /// <summary>State of <see cref="ScalarSafeAdamW"/> (the TorchSharp AdamW's optimizer.bin of older checkpoints is not read).</summary>
    private const string OptimizerFile = "adamw-state.bin";

    /// <summary>Loss of each finished step, in order (for tests and the log).</summary>
    public List<double> Losses { get; } = [];

    public double WallSeconds { get; private set; }

    /// <summary>Steps done in total, resumed ones included.</summary>
    public int FinalStep { get; private set; }

    private double baseSeconds;

    /// <summary>Runs training; the returned model (caller disposes) is also saved to <see cref="TrainOptions.Output"/>.</summary>
    /// <param name="progress">told after every step, on the training thread</param>
    public async Task<UCoFIAModel> RunAsync(ITrainingData data, IProgress<TrainingStep>? progress, CancellationToken ct)
    {
        TorchDevice.SetThreads(options.Threads);
        var checkpoint = options.CheckpointFolder;
        Directory.CreateDirectory(checkpoint);
        var (model, startStep) = CreateOrResume(data, checkpoint);
        var groups = ParameterGroups.For(model, options);
        var peak = groups.Select(g => g.LearningRate).ToArray();
        using var optimizer = new ScalarSafeAdamW(groups, beta2: options.Beta2, eps: options.Epsilon);
        var optimizerPath = Path.Combine(checkpoint, OptimizerFile);
        if (startStep > 0 && File.Exists(optimizerPath))
            optimizer.Load(optimizerPath);

        var schedule = new LearningRateSchedule(options.Steps, Math.Max(1, (int)(options.Steps * options.WarmupFraction)));
        var config = model.Config;
        var (frames, size) = (config.Alignment.NumFrames, config.Vision.ImageSize);
        var watch = Stopwatch.StartNew();
        var clipsSeen = 0;
        for (var step = startStep; step < options.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            if (options.MaxSeconds > 0 && watch.Elapsed.TotalSeconds > options.MaxSeconds)
            {
                log.WriteLine($"time limit of {options.MaxSeconds} s reached at step {step}");
                break;
            }
            var (captions, clipFrames) = await data.BatchAsync(step, options.Batch, frames, size, ct);
            var factor = schedule.Factor(step);
            var index = 0;
            foreach (var group in optimizer.Groups)
                group.LearningRate = peak[index++] * factor;

            double loss;
            optimizer.ZeroGrad();
            using (NewDisposeScope())
            {
                var (video, mask) = clipFrames.ToTensors();
                using var losses = model.Loss(captions, video, mask);
                // ScalarOps, not + and / 3: the operators' temporary Scalars may be finalized mid-call.
                var total = losses.Total.Plus(losses.Video.Plus(losses.Frame).Plus(losses.Patch).Over(3));
                total.backward();
                nn.utils.clip_grad_norm_(model.Parameters(), 1.0);
                loss = total.item<float>();
            }
            // The corrupt-Scalar crashes after ~180–220 steps of the first default-model run came from temporary
            // Scalars (from numbers and the hidden alpha = 1 of tensor + tensor) that the GC finalized during their
            // native call, in TorchSharp's AdamW.step and in the loss sum above (see UCoFIA.Model.ScalarOps);
            // ScalarSafeAdamW and ScalarOps hold every Scalar alive across its call.
            optimizer.Step();
            Losses.Add(loss);
            clipsSeen += captions.Length;
            progress?.Report(new TrainingStep(step + 1, options.Steps, loss, options.LearningRate * factor,
                clipsSeen / Math.Max(1e-3, watch.Elapsed.TotalSeconds), watch.Elapsed.TotalSeconds));
            if ((step + 1) % options.CheckpointEvery == 0 && step + 1 < options.Steps)
                Checkpoint(model, optimizer, step + 1, data, baseSeconds + watch.Elapsed.TotalSeconds);
        }
        WallSeconds = baseSeconds + watch.Elapsed.TotalSeconds;
        FinalStep = startStep + Losses.Count;
        Checkpoint(model, optimizer, FinalStep, data, WallSeconds);
        return model;
    }

    private (UCoFIAModel Model, int StartStep) CreateOrResume(ITrainingData data, string checkpoint)
    {
        var statePath = Path.Combine(checkpoint, StateFile);
        if (options.Resume && File.Exists(statePath))
        {
            var state = JsonNode.Parse(File.ReadAllText(statePath))!;
            var resumed = UCoFIAModel.Load(checkpoint, "cpu", options.Threads);
            resumed.ZeroShot = false;
            var step = state["step"]!.GetValue<int>();
            baseSeconds = state["seconds"]?.GetValue<double>() ?? 0;
            log.WriteLine($"resuming from step {step} in {checkpoint}");
            return (resumed, step);
        }
        if (options.InitFrom is not null)
        {
            var clip = UCoFIAModel.Load(options.InitFrom, "cpu", options.Threads);
            clip.ZeroShot = false;
            return (clip, 0);
        }
        var vocab = Path.Combine(checkpoint, UCoFIAModel.VocabFile);
        var merges = Path.Combine(checkpoint, UCoFIAModel.MergesFile);
        BpeTrainer.Train(data.AllCaptions, options.VocabSize, vocab, merges);
        var config = configOverride ?? DefaultModelConfig.Create(options.VocabSize);
        var model = UCoFIAModel.CreateRandom(config, vocab, merges, options.Seed, "cpu");
        model.ZeroShot = false;
        return (model, 0);
    }

    private void Checkpoint(UCoFIAModel model, ScalarSafeAdamW optimizer, int step, ITrainingData data, double seconds)
    {
        var checkpoint = options.CheckpointFolder;
        model.Save(checkpoint, fp16: false);
        optimizer.Save(Path.Combine(checkpoint, OptimizerFile));
        File.WriteAllText(Path.Combine(checkpoint, StateFile), new JsonObject { ["step"] = step, ["seconds"] = seconds }.ToJsonString());
        // The output folder is a loadable model at every checkpoint, so a default model exists early.
        ModelFolder.Write(model, options, data.AllCaptions, step, seconds, Losses.Count > 0 ? Losses[^1] : null, metrics: null);
    }
}
