using UCoFIA.Storage;

namespace UCoFIA.Service.Inference;

/// <summary>
/// A text's features copied out of the model as plain arrays, so they can wait for the database between
/// the encode and re-rank stages without holding native tensor memory.
/// </summary>
/// <param name="Sentence">[D]</param>
/// <param name="Words">[L, D] row-major</param>
/// <param name="WordMask">[L]</param>
/// <param name="TokenIds">[L]</param>
/// <param name="VideoRecall">[D] the sentence through the video–sentence maps (UCoFIAModel.RecallQuery), what the
/// coarse recall looks up video vectors with; null for stored captions, which are gallery items, never queries</param>
public sealed record EncodedText(string Text, float[] Sentence, float[] Words, bool[] WordMask, int[] TokenIds, float[]? VideoRecall = null)
{
    /// <summary>The real tokens' positions: padding is never stored.</summary>
    public IEnumerable<int> RealPositions => Enumerable.Range(0, WordMask.Length).Where(i => WordMask[i]);

    /// <returns>[D] the word feature at <paramref name="position"/>.</returns>
    public float[] Word(int position) => Words[(position * Sentence.Length)..((position + 1) * Sentence.Length)];

    /// <summary>Rebuilds a stored caption as the padded arrays the model consumes: masked zeros past its tokens.</summary>
    public static EncodedText FromStored(StoredCaptionFeatures stored, int maxLength)
    {
        var d = stored.Sentence.Length;
        var count = Math.Min(stored.Words.Length, maxLength);
        var words = new float[maxLength * d];
        for (var i = 0; i < count; i++)
        {
            stored.Words[i].CopyTo(words, i * d);
        }
        var mask = new bool[maxLength];
        Array.Fill(mask, true, 0, count);
        return new EncodedText(stored.Text, stored.Sentence, words, mask, new int[maxLength]);
    }
}
