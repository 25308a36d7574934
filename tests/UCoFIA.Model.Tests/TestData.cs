using System.Text.Json;
using static TorchSharp.torch;

namespace UCoFIA.Model.Tests;

/// <summary>Shared fixtures: a hand-made CLIP-format vocabulary, tiny models and random frames.</summary>
internal static class TestData
{
    /// <summary>Merges of the hand-made vocabulary: "hello" becomes one token, id 515.</summary>
    public static readonly string[] Merges = ["h e", "l l", "he ll", "hell o</w>"];

    public const int HelloId = 515;
    public const int StartId = 516;
    public const int EndId = 517;

    /// <summary>"!" is the first printable byte, so "!" is id 0 and "!&lt;/w&gt;" id 256.</summary>
    public const int ExclamationEndOfWordId = 256;

    /// <summary>Writes vocab.json and merges.txt in CLIP's layout: 256 bytes, 256 end-of-word forms, merges, specials.</summary>
    public static (string Vocab, string Merges) WriteHandMadeVocab(string folder)
    {
        var tokens = ByteLevelAlphabet.Symbols.Select(c => c.ToString())
            .Concat(ByteLevelAlphabet.Symbols.Select(c => c + "</w>"))
            .Concat(Merges.Select(m => m.Replace(" ", "", StringComparison.Ordinal)))
            .Concat([ClipTokenizer.StartOfText, ClipTokenizer.EndOfText])
            .ToList();
        var vocabPath = Path.Combine(folder, "vocab.json");
        var mergesPath = Path.Combine(folder, "merges.txt");
        File.WriteAllText(vocabPath, JsonSerializer.Serialize(tokens.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i)));
        File.WriteAllText(mergesPath, "#version: 0.2\n" + string.Join("\n", Merges) + "\n");
        return (vocabPath, mergesPath);
    }

    public static UCoFIAModel TinyModel(TempFolder folder, int seed = 1, UCoFIAConfig? config = null)
    {
        var (vocab, merges) = WriteHandMadeVocab(folder.Path);
        return UCoFIAModel.CreateRandom(config ?? UCoFIAConfig.Tiny(), vocab, merges, seed);
    }

    /// <returns>[B, F, 3, S, S] standard-normal pixels (already "CLIP-normalised")</returns>
    public static Tensor Frames(UCoFIAConfig config, int videos, int frames, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var size = config.Vision.ImageSize;
        return randn([videos, frames, 3, size, size], generator: generator);
    }

    public static Tensor AllFrames(int videos, int frames) => ones([videos, frames], dtype: ScalarType.Bool);

    public static float[] Values(Tensor t) => t.detach().cpu().to(ScalarType.Float32).data<float>().ToArray();

    public static void AssertClose(Tensor expected, Tensor actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected.to(ScalarType.Float64) - actual.to(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(difference <= tolerance, $"max |difference| {difference} > {tolerance}");
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ucofia-model-tests-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
