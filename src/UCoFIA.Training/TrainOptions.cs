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

    public double WeightDecay { get; init; } = 0.05;

    public double WarmupFraction { get; init; } = 0.05;

    public int Seed { get; init; } = 1;

    public bool Resume { get; init; }

    public int CheckpointEvery { get; init; } = 200;

    public string? CheckpointDir { get; init; }

    public int Threads { get; init; } = 2;

    public int VocabSize { get; init; } = DefaultModelConfig.VocabSize;

    /// <summary>Synthetic corpus size (clips per split); the corpus seed is <see cref="Seed"/>.</summary>
    public int TrainClips { get; init; } = 2000;

    public int TestClips { get; init; } = 200;

    public int HardGroups { get; init; } = 50;

    public int SkBankSize { get; init; } = 500;

    /// <summary>Stop (and save) after this many seconds even if the steps are not done; 0 = no limit.</summary>
    public int MaxSeconds { get; init; }

    public string CheckpointFolder => CheckpointDir ?? Path.Combine(Path.GetTempPath(), "ucofia-checkpoints", Path.GetFileName(Path.GetFullPath(Output).TrimEnd('/')));
}
