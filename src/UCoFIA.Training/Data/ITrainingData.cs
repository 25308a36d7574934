namespace UCoFIA.Training.Data;

/// <summary>Training pairs the trainer can batch: caption i goes with clip i.</summary>
public interface ITrainingData
{
    /// <summary>What the data is, for the log ("2,000 clips", "a fresh stream").</summary>
    string Description { get; }

    /// <summary>Captions that stand for the training text: the tokenizer corpus and the Sinkhorn–Knopp bank.</summary>
    IReadOnlyList<string> AllCaptions { get; }

    /// <summary>
    /// Batch number <paramref name="step"/>: at most <paramref name="size"/> clips, one caption each. The same step
    /// always gives the same batch, so a resumed run sees exactly the batches an uninterrupted one would.
    /// </summary>
    Task<(string[] Captions, FrameBatch Frames)> BatchAsync(int step, int size, int frameCount, int imageSize, CancellationToken ct);
}
