using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace UCoFIA.Model;

/// <summary>
/// Trains a byte-level BPE in CLIP's file format: vocab = 256 byte symbols, their 256 "&lt;/w&gt;" (end of word)
/// forms, one token per merge, then &lt;|startoftext|&gt; and &lt;|endoftext|&gt;; merges.txt lists the pairs in order.
/// Words come from CLIP's own cleaning and pre-tokeniser, so the result loads through <see cref="ClipTokenizer"/>.
/// </summary>
public static class BpeTrainer
{
    /// <summary>Byte symbols, their end-of-word forms and the two special tokens.</summary>
    public const int MinVocabSize = 2 * 256 + 2;

    /// <param name="vocabSize">total ids including specials; merges stop earlier when no pair repeats</param>
    public static void Train(IEnumerable<string> corpus, int vocabSize, string vocabJsonPath, string mergesTxtPath)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabSize, MinVocabSize);
        var words = CountWords(corpus); // symbol sequence → frequency
        var vocab = new List<string>(ByteLevelAlphabet.Symbols.Select(c => c.ToString()));
        vocab.AddRange(ByteLevelAlphabet.Symbols.Select(c => c + ClipTokenizer.EndOfWord));
        var known = vocab.ToHashSet();
        var merges = new List<(string Left, string Right)>();
        while (vocab.Count < vocabSize - 2 && BestPair(words) is { } pair)
        {
            merges.Add(pair);
            var merged = pair.Left + pair.Right;
            // Two different pairs can spell the same token; the merge is still needed, the id is not.
            if (known.Add(merged))
                vocab.Add(merged);
            words = words.Select(w => (Merge(w.Symbols, pair), w.Count)).ToList();
        }
        vocab.Add(ClipTokenizer.StartOfText);
        vocab.Add(ClipTokenizer.EndOfText);
        var ids = vocab.Select((token, id) => (token, id)).ToDictionary(x => x.token, x => x.id);
        // Unescaped like HF's files, so tokens such as <|endoftext|> stay readable.
        File.WriteAllText(vocabJsonPath, JsonSerializer.Serialize(ids, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        File.WriteAllText(mergesTxtPath,
            "#version: 0.2\n" + string.Concat(merges.Select(m => $"{m.Left} {m.Right}\n")));
    }

    private static List<(List<string> Symbols, long Count)> CountWords(IEnumerable<string> corpus)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in corpus)
        {
            var clean = ClipNormalizer.Instance.Normalize(text);
            foreach (var (offset, length) in ClipPreTokenizer.Instance.PreTokenize(clean))
            {
                var word = clean.Substring(offset, length);
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        }
        return counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (Symbols(kv.Key), kv.Value)).ToList();
    }

    /// <summary>A word as byte symbols, the last one marked as the end of the word.</summary>
    private static List<string> Symbols(string word)
    {
        var symbols = ByteLevelAlphabet.Encode(Encoding.UTF8.GetBytes(word)).Select(c => c.ToString()).ToList();
        symbols[^1] += ClipTokenizer.EndOfWord;
        return symbols;
    }

    /// <summary>Most frequent adjacent pair; ties go to the ordinal-smallest pair so training is deterministic.</summary>
    private static (string Left, string Right)? BestPair(List<(List<string> Symbols, long Count)> words)
    {
        var counts = new Dictionary<(string, string), long>();
        foreach (var (symbols, count) in words)
        {
            for (var i = 0; i + 1 < symbols.Count; i++)
                counts[(symbols[i], symbols[i + 1])] = counts.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
        }
        if (counts.Count == 0)
            return null;
        return counts.OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key.Item1, StringComparer.Ordinal)
            .ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal)
            .First().Key;
    }

    private static List<string> Merge(List<string> symbols, (string Left, string Right) pair)
    {
        var merged = new List<string>(symbols.Count);
        for (var i = 0; i < symbols.Count; i++)
        {
            if (i + 1 < symbols.Count && symbols[i] == pair.Left && symbols[i + 1] == pair.Right)
            {
                merged.Add(pair.Left + pair.Right);
                i++;
            }
            else
            {
                merged.Add(symbols[i]);
            }
        }
        return merged;
    }
}
