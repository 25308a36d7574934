using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>Encoded texts; every feature L2-normalised, padded word rows zero (in the authors' patch–word mode,
/// <see cref="AlignmentConfig.AuthorsPatchWord"/>, every position is a word). Owns its tensors.</summary>
public sealed class TextFeatures : IDisposable
{
    /// <param name="sentence">[T, D]</param>
    /// <param name="words">[T, L, D]</param>
    /// <param name="wordMask">[T, L] bool, true for the words patch–word weighs: the real tokens (start and end
    /// included), or every position in the authors' mode</param>
    /// <param name="tokenIds">per text, its unpadded token ids (start and end included), when known</param>
    public TextFeatures(Tensor sentence, Tensor words, Tensor wordMask, int[][]? tokenIds = null)
    {
        if (words.dim() != 3 || sentence.dim() != 2 || wordMask.dim() != 2
            || words.shape[0] != sentence.shape[0] || !wordMask.shape.SequenceEqual(words.shape[..2])
            || words.shape[2] != sentence.shape[1])
            throw new ArgumentException("text features must be sentence [T, D], words [T, L, D], mask [T, L]");
        if (wordMask.dtype != ScalarType.Bool)
            throw new ArgumentException("the word mask must be a bool tensor", nameof(wordMask));
        Sentence = sentence;
        Words = words;
        WordMask = wordMask;
        TokenIds = tokenIds;
    }

    /// <summary>[T, D]</summary>
    public Tensor Sentence { get; }

    /// <summary>[T, L, D]</summary>
    public Tensor Words { get; }

    /// <summary>[T, L] bool</summary>
    public Tensor WordMask { get; }

    public int[][]? TokenIds { get; }

    public int Count => (int)Sentence.shape[0];

    public void Dispose()
    {
        Sentence.Dispose();
        Words.Dispose();
        WordMask.Dispose();
    }
}
