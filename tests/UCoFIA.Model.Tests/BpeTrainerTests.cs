using System.Text.Json;

namespace UCoFIA.Model.Tests;

public class BpeTrainerTests
{
    private static readonly string[] Corpus =
    [
        "a man is playing a guitar", "a woman is playing the piano", "a dog is running on the grass",
        "two men are playing football", "a cat is sleeping on the sofa", "people are dancing at a party",
    ];

    [Fact]
    public void Train_SmallCorpus_WritesClipLayoutThatLoadsAndRoundTrips()
    {
        using var folder = new TempFolder();
        var vocabPath = Path.Combine(folder.Path, "vocab.json");
        var mergesPath = Path.Combine(folder.Path, "merges.txt");
        BpeTrainer.Train(Corpus, 560, vocabPath, mergesPath);

        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(vocabPath))!;
        Assert.Equal(560, vocab.Count);
        Assert.Equal(0, vocab["!"]);
        Assert.Equal(256, vocab["!</w>"]);
        Assert.Equal(558, vocab[ClipTokenizer.StartOfText]);
        Assert.Equal(559, vocab[ClipTokenizer.EndOfText]);
        Assert.StartsWith("#version", File.ReadLines(mergesPath).First(), StringComparison.Ordinal);

        var tokenizer = ClipTokenizer.Load(vocabPath, mergesPath, 16);
        var ids = tokenizer.EncodeToIds("A man is playing the guitar");
        Assert.True(ids.Count < "a man is playing the guitar".Length / 2, $"frequent words should merge, got {ids.Count} tokens");
        Assert.Equal("a man is playing the guitar", tokenizer.Decode(ids));
        Assert.Equal("zebra giraffe", tokenizer.Decode(tokenizer.EncodeToIds("zebra giraffe"))); // unseen words fall back to bytes
    }

    [Fact]
    public void Train_SameCorpusTwice_IsDeterministic()
    {
        using var folder = new TempFolder();
        string Run(string name)
        {
            var merges = Path.Combine(folder.Path, name + ".txt");
            BpeTrainer.Train(Corpus, 560, Path.Combine(folder.Path, name + ".json"), merges);
            return File.ReadAllText(merges);
        }
        Assert.Equal(Run("first"), Run("second"));
    }

    [Fact]
    public void Train_VocabBelowByteAlphabet_Throws()
    {
        using var folder = new TempFolder();
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            BpeTrainer.Train(Corpus, 100, Path.Combine(folder.Path, "v.json"), Path.Combine(folder.Path, "m.txt")));
    }
}
