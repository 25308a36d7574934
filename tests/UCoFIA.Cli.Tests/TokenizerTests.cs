using UCoFIA.Model;

namespace UCoFIA.Cli.Tests;

public class TokenizerTests
{
    [Fact]
    public void BpeTrainer_CorpusCaptions_RoundTripAndMergesShortenWords()
    {
        var corpus = Enumerable.Range(0, 40).SelectMany(i => new[]
        {
            "a red circle moves left on a blue background",
            "two green squares slide to the right",
            "first the yellow star grows, then it shrinks",
        }).ToArray();
        var folder = Directory.CreateTempSubdirectory("ucofia-tok").FullName;
        var (vocab, merges) = (Path.Combine(folder, "vocab.json"), Path.Combine(folder, "merges.txt"));
        BpeTrainer.Train(corpus, 600, vocab, merges);

        var tokenizer = ClipTokenizer.Load(vocab, merges, 24);
        const string text = "a red circle moves left on a blue background";
        var ids = tokenizer.EncodeToIds(text);
        Assert.Equal(text, tokenizer.Decode(ids));
        Assert.True(ids.Count < text.Replace(" ", "").Length / 2, $"expected merged tokens, got {ids.Count} ids");
        var (framed, mask) = tokenizer.Encode(text);
        Assert.Equal(tokenizer.StartOfTextId, framed[0]);
        Assert.Equal(tokenizer.EndOfTextId, framed[ids.Count + 1]);
        Assert.Equal(ids.Count + 2, mask.Count(m => m));
    }
}
