namespace UCoFIA.Training;

/// <summary>Everything <c>ucofia train</c> was asked to do; written to training.json.</summary>
public sealed record TrainOptions
{
    public required string Output { get; init; }

    /// <summary>"synthetic" or a dataset folder (see <see cref="Data.RealDataset"/>).</summary>
    public string Data { get; init; } = "synthetic";

    public string? InitFrom { get; init; }

    public int Steps { get; init; } = 2000;

    public int Batch { get; init; } = 32;

    /// <summary>Peak learning rate of the new modules (and of everything when training from scratch).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Peak learning rate of the CLIP towers when starting from a CLIP checkpoint (the authors use 1e-7).</summary>
    public double ClipLearningRate { get; init; } = 1e-7;

    /// <summary>Decoupled AdamW weight decay; the authors' 0.2.</summary>
    public double WeightDecay { get; init; } = 0.2;

    /// <summary>The share of the steps spent warming up; the authors' 10 %.</summary>
    public double WarmupFraction { get; init; } = 0.1;

    /// <summary>AdamW's second-moment decay; CLIP's and the authors' 0.98.</summary>
    public double Beta2 { get; init; } = 0.98;

    /// <summary>AdamW's ε; CLIP's and the authors' 1e-6.</summary>
    public double Epsilon { get; init; } = 1e-6;

    public int Seed { get; init; } = 1;

    public bool Resume { get; init; }

    public int CheckpointEvery { get; init; } = 200;

    public string? CheckpointDir { get; init; }

    public int Threads { get; init; } = 2;

    public int VocabSize { get; init; } = DefaultModelConfig.VocabSize;

    /// <summary>
    /// Synthetic data: training runs on a fresh stream; this many clips of the training distribution are a fixed
    /// sample for the tokenizer text and the Sinkhorn–Knopp bank only. The corpus seed is <see cref="Seed"/>.
    /// </summary>
    public int TrainClips { get; init; } = 500;

    public int TestClips { get; init; } = 1000;

    /// <summary>Hard-test groups of four clips that differ only in the small object.</summary>
    public int HardGroups { get; init; } = 250;

    /// <summary>The share of every synthetic batch in hard-negative groups (clips that differ in one attribute).</summary>
    public double HardShare { get; init; } = 0.5;

    public int HardGroupSize { get; init; } = 4;

    public int SkBankSize { get; init; } = 500;

    /// <summary>Stop (and save) after this many seconds even if the steps are not done; 0 = no limit.</summary>
    public int MaxSeconds { get; init; }

    public string CheckpointFolder => CheckpointDir ?? Path.Combine(Path.GetTempPath(), "ucofia-checkpoints", Path.GetFileName(Path.GetFullPath(Output).TrimEnd('/')));
}
