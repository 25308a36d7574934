using UCoFIA.Media.Synthetic;

namespace UCoFIA.Training.Data;

/// <summary>The synthetic training split, rendered in memory per batch (no MP4 encode or decode).</summary>
public sealed class SyntheticTrainingData(IReadOnlyList<CorpusItem> items) : ITrainingData
{
    public int Count => items.Count;

    public IReadOnlyList<string> AllCaptions { get; } = items.SelectMany(item => item.Captions).ToArray();

    public Task<(string[] Captions, FrameBatch Frames)> BatchAsync(IReadOnlyList<int> clips, Random random, int frameCount, int imageSize, CancellationToken ct)
    {
        var chosen = clips.Select(i => items[i]).ToArray();
        var captions = chosen.Select(item => item.Captions[random.Next(item.Captions.Count)]).ToArray();
        return Task.FromResult((captions, SyntheticData.RenderBatch(chosen, frameCount, imageSize)));
    }
}
