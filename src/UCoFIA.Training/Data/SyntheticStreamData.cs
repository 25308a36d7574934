using UCoFIA.Media.Synthetic;

namespace UCoFIA.Training.Data;

/// <summary>
/// Synthetic training on a stream: every step renders fresh scenes (<see cref="TrainingStream"/>), in memory, so
/// there is no fixed training set to memorise. The corpus's evaluation scenes are never drawn, and its training
/// split is only a fixed sample of the training distribution: the tokenizer text and the Sinkhorn–Knopp bank.
/// </summary>
/// <param name="hardShare">share of every batch in hard-negative groups of <paramref name="groupSize"/></param>
public sealed class SyntheticStreamData(Corpus corpus, CorpusOptions options, int seed, double hardShare, int groupSize) : ITrainingData
{
    private readonly TrainingStream stream = new(options.HeldOutPairs,
        corpus.Validation.Concat(corpus.Test).Concat(corpus.HardTest).Select(item => item.Scene).ToHashSet());

    public string Description => $"a fresh synthetic stream ({hardShare:P0} of each batch in hard-negative groups of {groupSize})";

    public IReadOnlyList<string> AllCaptions { get; } = corpus.Train.SelectMany(item => item.Captions).ToArray();

    public Task<(string[] Captions, FrameBatch Frames)> BatchAsync(int step, int size, int frameCount, int imageSize, CancellationToken ct)
    {
        var items = stream.Batch(StepSeed.For(seed, step), size, groupSize, hardShare);
        return Task.FromResult((items.Select(item => item.Captions[0]).ToArray(), SyntheticData.RenderBatch(items, frameCount, imageSize)));
    }
}
