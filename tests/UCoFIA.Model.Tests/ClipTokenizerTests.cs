using System.Text.Json;

namespace UCoFIA.Model.Tests;

public class ClipTokenizerTests
{
    private static ClipTokenizer Load(TempFolder folder, int maxLength)
    {
        var (vocab, merges) = TestData.WriteHandMadeVocab(folder.Path);
        return ClipTokenizer.Load(vocab, merges, maxLength);
    }

    [Fact]
    public void Encode_HandMadeVocab_GivesKnownIdsFramedAndPadded()
    {
        using var folder = new TempFolder();
        var tokenizer = Load(folder, 8);
        // Cleaning lower-cases and collapses whitespace; "hello" merges to one end-of-word token.
        var (ids, mask) = tokenizer.Encode("  HELLO \t hello!");
        Assert.Equal(new long[] { TestData.StartId, TestData.HelloId, TestData.HelloId, TestData.ExclamationEndOfWordId, TestData.EndId, 0, 0, 0 }, ids);
        Assert.Equal(new[] { true, true, true, true, true, false, false, false }, mask);
        Assert.Equal(TestData.EndId, tokenizer.EndOfTextId);
    }

    [Fact]
    public void Encode_UnmergedWord_FallsBackToByteSymbols()
    {
        using var folder = new TempFolder();
        var tokenizer = Load(folder, 8);
        // "hi": 'h' is byte 104 → symbol index 104 − 33 = 71; "i</w>" is 256 + (105 − 33) = 328.
        Assert.Equal(new[] { 71, 328 }, tokenizer.EncodeToIds("hi"));
    }

    [Fact]
    public void Encode_LongText_TruncatesAndKeepsEndTokenLast()
    {
        using var folder = new TempFolder();
        var tokenizer = Load(folder, 5);
        var (ids, mask) = tokenizer.Encode("hello hello hello hello hello");
        Assert.Equal(new long[] { TestData.StartId, TestData.HelloId, TestData.HelloId, TestData.HelloId, TestData.EndId }, ids);
        Assert.All(mask, Assert.True);
    }

    [Fact]
    public void EncodeBatch_TwoTexts_GivesPaddedTensors()
    {
        using var folder = new TempFolder();
        var tokenizer = Load(folder, 6);
        var (ids, mask) = tokenizer.Encode(["hello", "hello hello"]);
        Assert.Equal([2L, 6L], ids.shape);
        Assert.Equal(new long[] { 3, 4 }, mask.sum(dim: 1).data<long>().ToArray());
    }

    [Fact]
    public void Decode_EncodedText_RoundTrips()
    {
        using var folder = new TempFolder();
        var tokenizer = Load(folder, 16);
        Assert.Equal("hello hi there ünï", tokenizer.Decode(tokenizer.EncodeToIds("Hello  hi THERE ünï")));
        // Punctuation is its own word in CLIP's pre-tokeniser, so decoding spaces it out, as CLIP's decoder does.
        Assert.Equal("hello , hi", tokenizer.Decode(tokenizer.EncodeToIds("hello, hi")));
    }

    [Fact]
    public void Load_VocabWithoutSpecialTokens_Throws()
    {
        using var folder = new TempFolder();
        var (vocab, merges) = TestData.WriteHandMadeVocab(folder.Path);
        var tokens = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(vocab))!;
        tokens.Remove(ClipTokenizer.EndOfText);
        File.WriteAllText(vocab, JsonSerializer.Serialize(tokens));
        var error = Assert.Throws<InvalidDataException>(() => ClipTokenizer.Load(vocab, merges, 8));
        Assert.Contains("<|endoftext|>", error.Message, StringComparison.Ordinal);
    }
}
