namespace UCoFIA.Service.Search;

/// <summary>
/// A text's features copied out of the model as plain arrays, so they can wait for the database between
/// the encode and re-rank stages without holding native tensor memory.
/// </summary>
/// <param name="Sentence">[D]</param>
/// <param name="Words">[L, D] row-major</param>
/// <param name="WordMask">[L]</param>
/// <param name="TokenIds">[L]</param>
public sealed record EncodedText(string Text, float[] Sentence, float[] Words, bool[] WordMask, int[] TokenIds);
