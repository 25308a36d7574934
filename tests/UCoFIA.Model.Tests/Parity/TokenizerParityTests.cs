using System.Text.Json;

namespace UCoFIA.Model.Tests.Parity;

/// <summary>
/// Token ids against openai's simple_tokenizer running with the real ftfy 6.3.1 on the corpus in
/// tests/fixtures/parity/tokenizer_corpus.txt. Exact equality: ids have no tolerance.
/// </summary>
public class TokenizerParityTests
{
    private const int ContextLength = 77;

    private static readonly Lazy<ClipTokenizer> tokenizer = new(() => ParityFixtures.RealClipTokenizer(ContextLength));
    private static readonly Lazy<Case[]> cases = new(LoadCases);

    public static TheoryData<int> PortedCases() => Indices(c => !c.NeedsFixEncoding);

    public static TheoryData<int> MojibakeCases() => Indices(c => c.NeedsFixEncoding);

    [Theory]
    [MemberData(nameof(PortedCases))]
    public void EncodeToIds_CorpusSentence_EqualsOpenAiIds(int index)
    {
        var sentence = cases.Value[index];
        AssertIds(sentence, sentence.Ids);
    }

    [Theory]
    [MemberData(nameof(PortedCases))]
    public void Encode_CorpusSentence_EqualsClipTokenizeFramed(int index)
    {
        var sentence = cases.Value[index];
        Assert.Equal(sentence.Framed, tokenizer.Value.Encode(sentence.Text).Ids);
    }

    /// <summary>ftfy's mojibake repair is not ported: these sentences must match openai's with only fix_encoding off.</summary>
    [Theory]
    [MemberData(nameof(MojibakeCases))]
    public void EncodeToIds_MojibakeSentence_EqualsOpenAiWithoutFixEncoding(int index)
    {
        var sentence = cases.Value[index];
        Assert.NotNull(sentence.IdsWithoutFixEncoding);
        AssertIds(sentence, sentence.IdsWithoutFixEncoding);
    }

    [Fact]
    public void Corpus_Fixture_HoldsAtLeast300PortedSentences()
    {
        Assert.True(cases.Value.Count(c => !c.NeedsFixEncoding) >= 300, $"{cases.Value.Length} sentences");
    }

    private static void AssertIds(Case sentence, int[] expected)
    {
        var actual = tokenizer.Value.EncodeToIds(sentence.Text);
        Assert.True(expected.SequenceEqual(actual),
            $"text {JsonSerializer.Serialize(sentence.Text)}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
    }

    private static TheoryData<int> Indices(Func<Case, bool> keep) =>
        new(Enumerable.Range(0, cases.Value.Length).Where(i => keep(cases.Value[i])));

    private static Case[] LoadCases()
    {
        using var document = ParityFixtures.Read("tokenizer_ids.json");
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            c.GetProperty("text").GetString()!,
            Ints(c.GetProperty("ids")),
            c.GetProperty("framed").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
            c.GetProperty("fix_encoding").GetBoolean(),
            c.TryGetProperty("ids_without_fix_encoding", out var without) ? Ints(without) : null)).ToArray();
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private sealed record Case(string Text, int[] Ids, long[] Framed, bool NeedsFixEncoding, int[]? IdsWithoutFixEncoding);
}
