using System.Text.Json;
using UCoFIA.Media.Synthetic;

namespace UCoFIA.Training.Data;

/// <summary>The synthetic corpus as the CLI uses it: generated from a seed, rendered in memory, no MP4 decode.</summary>
public static class SyntheticData
{
    public static Corpus Generate(int seed, CorpusOptions options) => new CorpusGenerator(seed).Generate(options);

    /// <summary>The frames of <paramref name="items"/>, rendered in memory; every clip has all <paramref name="frameCount"/>.</summary>
    public static FrameBatch RenderBatch(IReadOnlyList<CorpusItem> items, int frameCount, int imageSize)
    {
        var clip = frameCount * 3 * imageSize * imageSize;
        var pixels = new float[items.Count * clip];
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
            SceneRenderer.RenderNormalized(items[i].Scene, frameCount, imageSize).CopyTo(pixels, i * clip));
        return FrameBatch.Full(pixels, items.Count, frameCount, imageSize);
    }

    /// <summary>captions.jsonl in the corpus writer's layout, for a corpus written without MP4 files.</summary>
    public static async Task WriteCaptionsAsync(Corpus corpus, string folder, CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var lines = corpus.All.SelectMany(item => item.Captions.Select(caption => JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["video"] = CorpusWriter.VideoPath(item),
            ["caption"] = caption,
            ["split"] = item.Split,
            ["group"] = item.Group,
        })));
        await File.WriteAllLinesAsync(Path.Combine(folder, CorpusWriter.CaptionsFile), lines, ct);
    }

    public static IReadOnlyList<CorpusItem> Split(Corpus corpus, string split) => split switch
    {
        CorpusSplit.Train => corpus.Train,
        CorpusSplit.Validation or "val" => corpus.Validation,
        CorpusSplit.Test => corpus.Test,
        CorpusSplit.HardTest => corpus.HardTest,
        _ => throw new ArgumentException($"unknown split '{split}': train, validation, test or hard-test"),
    };
}
