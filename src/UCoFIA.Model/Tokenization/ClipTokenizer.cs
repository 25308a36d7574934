using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>
/// CLIP's byte-level BPE (Microsoft.ML.Tokenizers with CLIP's pre-tokeniser and cleaning, both with Python's
/// semantics, so ids equal openai's simple_tokenizer with ftfy) plus CLIP's framing:
/// start token, at most L−2 BPE tokens, end token, padding to L with id 0.
/// </summary>
public sealed class ClipTokenizer
{
    public const string StartOfText = "<|startoftext|>";
    public const string EndOfText = "<|endoftext|>";
    internal const string EndOfWord = "</w>";

    private readonly BpeTokenizer bpe;
    private readonly Dictionary<int, string> idToToken;
    private readonly string vocabJson;
    private readonly string mergesText;

    private ClipTokenizer(string vocabJson, string mergesText, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(vocabJson)
            ?? throw new InvalidDataException("vocab.json is not a token → id object");
        foreach (var special in new[] { StartOfText, EndOfText })
        {
            if (!vocab.ContainsKey(special))
                throw new InvalidDataException($"vocab.json lacks {special}");
        }
        var specials = new Dictionary<string, int> { [StartOfText] = vocab[StartOfText], [EndOfText] = vocab[EndOfText] };
        var merges = mergesText.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Length > 0 && !line.StartsWith("#version", StringComparison.Ordinal))
            .ToList();
        bpe = BpeTokenizer.Create(new BpeOptions(vocab)
        {
            Merges = merges,
            ByteLevel = true,
            EndOfWordSuffix = EndOfWord,
            PreTokenizer = ClipPreTokenizer.Instance,
            Normalizer = ClipNormalizer.Instance,
            SpecialTokens = specials,
        });
        idToToken = vocab.ToDictionary(kv => kv.Value, kv => kv.Key);
        this.vocabJson = vocabJson;
        this.mergesText = mergesText;
        MaxLength = maxLength;
        StartOfTextId = vocab[StartOfText];
        EndOfTextId = vocab[EndOfText];
        VocabSize = vocab.Values.Max() + 1;
    }

    /// <summary>L: every encoded text is padded or truncated to this many ids.</summary>
    public int MaxLength { get; }

    public int StartOfTextId { get; }

    public int EndOfTextId { get; }

    /// <summary>One past the largest id; the text embedding table must have at least this many rows.</summary>
    public int VocabSize { get; }

    public static ClipTokenizer Load(string vocabJson, string mergesTxt, int maxLength) =>
        new(File.ReadAllText(vocabJson), File.ReadAllText(mergesTxt), maxLength);

    /// <summary>Writes vocab.json and merges.txt unchanged into <paramref name="folder"/>.</summary>
    public void Save(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "vocab.json"), vocabJson);
        File.WriteAllText(Path.Combine(folder, "merges.txt"), mergesText);
    }

    /// <summary>BPE ids of the cleaned text, without start/end tokens or truncation.</summary>
    public IReadOnlyList<int> EncodeToIds(string text) => bpe.EncodeToIds(text);

    /// <summary>The framed, truncated and padded ids of one text and its mask (true up to the end token).</summary>
    public (long[] Ids, bool[] Mask) Encode(string text)
    {
        var content = EncodeToIds(text);
        var kept = Math.Min(content.Count, MaxLength - 2);
        var ids = new long[MaxLength];
        var mask = new bool[MaxLength];
        ids[0] = StartOfTextId;
        for (var i = 0; i < kept; i++)
            ids[i + 1] = content[i];
        ids[kept + 1] = EndOfTextId; // the end token stays last even when the text is cut
        Array.Fill(mask, true, 0, kept + 2);
        return (ids, mask);
    }

    /// <returns>ids [T, L] long and mask [T, L] bool, on the CPU</returns>
    public (Tensor Ids, Tensor Mask) Encode(IReadOnlyList<string> texts)
    {
        var ids = new long[texts.Count * MaxLength];
        var mask = new bool[texts.Count * MaxLength];
        for (var t = 0; t < texts.Count; t++)
        {
            var (rowIds, rowMask) = Encode(texts[t]);
            rowIds.CopyTo(ids, t * MaxLength);
            rowMask.CopyTo(mask, t * MaxLength);
        }
        return (tensor(ids, [texts.Count, MaxLength]), tensor(mask, [texts.Count, MaxLength]));
    }

    /// <summary>Text of BPE ids: end-of-word markers become spaces, special tokens are dropped.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var symbols = string.Concat(ids.Where(id => id != StartOfTextId && id != EndOfTextId).Select(id => idToToken[id]));
        var bytes = symbols.Replace(EndOfWord, " ", StringComparison.Ordinal)
            .Select(c => c == ' ' ? (byte)' ' : ByteLevelAlphabet.CharToByte[c]).ToArray();
        return Encoding.UTF8.GetString(bytes).Trim();
    }
}
