namespace UCoFIA.Training.Data;

/// <summary>Training pairs the trainer can batch: caption i goes with clip i.</summary>
public interface ITrainingData
{
    /// <summary>Number of clips.</summary>
    int Count { get; }

    /// <summary>Every training caption (tokenizer corpus, Sinkhorn–Knopp bank).</summary>
    IReadOnlyList<string> AllCaptions { get; }

    /// <summary>One caption per chosen clip and the clips' frames.</summary>
    Task<(string[] Captions, FrameBatch Frames)> BatchAsync(IReadOnlyList<int> clips, Random random, int frameCount, int imageSize, CancellationToken ct);
}
