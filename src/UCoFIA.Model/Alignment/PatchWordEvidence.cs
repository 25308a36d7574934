using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>One token of a video's patch stream: frame <paramref name="Frame"/>'s class token (<paramref name="Slot"/> 0)
/// or its selected patch <paramref name="Slot"/> − 1, in the order the selector kept them.</summary>
public readonly record struct StreamToken(int Frame, int Slot)
{
    public bool IsClassToken => Slot == 0;
}

/// <summary>What one word of the text attends to: its weight on each stream token, and the similarity it weighs.</summary>
/// <param name="Position">The word's token position in the text (0 = the start token).</param>
/// <param name="Weights">One per <see cref="PatchWordEvidence.Stream"/> token; they sum to one.</param>
/// <param name="Similarities">The word–token similarities the weights multiply, one per stream token.</param>
public sealed record WordEvidence(int Position, float[] Weights, float[] Similarities);

/// <summary>
/// The evidence behind one text's patch–word score against one video: the first stage of Bi-ISA's patches-first
/// order, where each word spreads one unit of weight over the video's patch stream (each real frame's class token
/// and selected patches) with the same ISA and the same learned W the scorer uses. The second stage, over words,
/// and the words-first order are not shown: they weigh words, not places in the picture.
/// </summary>
/// <param name="Stream">The real frames' stream tokens, in stream order; padded frames are left out.</param>
/// <param name="Words">Every word the patch–word score weighs, in text order.</param>
public sealed record PatchWordEvidence(IReadOnlyList<StreamToken> Stream, IReadOnlyList<WordEvidence> Words)
{
    /// <param name="words">[1, L, D]</param> <param name="wordMask">[1, L] bool</param>
    /// <param name="stream">[1, F, 1+K, D]</param> <param name="frameMask">[1, F] bool</param>
    internal static PatchWordEvidence Compute(UCoFIAHeads heads, double tau, Tensor words, Tensor wordMask, Tensor stream,
        Tensor frameMask, bool learned)
    {
        var (f, k) = ((int)stream.shape[1], (int)stream.shape[2] - 1);
        var streamMask = frameMask.unsqueeze(2).expand(1, f, 1 + k).reshape(1, f * (1 + k)); // [1, P']
        var similarities = heads.WordPatchSimilarities(words, stream, learned); // [1, L, 1, P']
        var weights = heads.PatchWeights(similarities, streamMask, Aggregation.Isa, tau, learned); // [1, L, 1, P']
        var real = streamMask[0].nonzero().squeeze(1); // [N] the stream tokens of real frames
        var tokens = real.data<long>().Select(i => new StreamToken((int)(i / (1 + k)), (int)(i % (1 + k)))).ToList();
        var kept = wordMask[0].nonzero().squeeze(1).data<long>().ToArray(); // the word positions the score weighs
        float[] Row(Tensor perWord, long position) =>
            perWord[0, position, 0].index_select(0, real).cpu().to(ScalarType.Float32).data<float>().ToArray(); // [N]
        var evidence = kept.Select(l => new WordEvidence((int)l, Row(weights, l), Row(similarities, l))).ToList();
        return new PatchWordEvidence(tokens, evidence);
    }
}
