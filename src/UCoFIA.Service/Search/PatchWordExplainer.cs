using UCoFIA.Model;
using UCoFIA.Service.Inference;
using UCoFIA.Storage;
using static TorchSharp.torch;

namespace UCoFIA.Service.Search;

/// <summary>
/// The evidence only the patch–word level has: for each word of a query, where in one stored segment it looked.
/// The model computes each word's Bi-ISA weights over the segment's patch stream (<see cref="PatchWordEvidence"/>);
/// this places every stream token in the video (its sample index, time and grid cell) and names the words.
/// </summary>
public sealed class PatchWordExplainer(ModelWorker worker, CandidateStore candidates)
{
    /// <param name="segment">The segment to look in; null for the video's first (a short video has only that one).</param>
    /// <exception cref="Domain.NotFoundException">No stored video has <paramref name="videoId"/>, or it has no such segment.</exception>
    public async Task<SegmentEvidence> ExplainAsync(string text, Guid videoId, int? segment, CancellationToken cancellationToken)
    {
        var stored = (await candidates.GetVideoAsync(videoId, segment, cancellationToken))[0];
        var query = (await worker.EncodeTextsAsync([text], cancellationToken))[0];
        return await worker.RunAsync(model => Explain(model, query, stored), cancellationToken);
    }

    private static SegmentEvidence Explain(UCoFIAModel model, EncodedText query, GallerySegment segment)
    {
        using var scope = NewDisposeScope();
        using var text = FeatureTensors.ToTextFeatures([query], model.Device);
        using var video = FeatureTensors.ToVideoFeatures([segment.Features], ModelSizes.Of(model.Config), model.Device);
        var evidence = model.ExplainPatchWord(text, video);
        var rows = segment.Features;
        var grid = model.Config.Vision.ImageSize / model.Config.Vision.PatchSize;
        var places = evidence.Stream.Select(token =>
        {
            var frame = segment.FirstSample + token.Frame;
            var time = rows.FrameTimes[token.Frame];
            if (token.IsClassToken)
            {
                return new EvidencePlace(frame, time, null, null, null);
            }
            var patch = rows.PatchIndices[token.Frame * rows.PatchesPerFrame + token.Slot - 1];
            return new EvidencePlace(frame, time, patch, patch / grid, patch % grid);
        }).ToList();
        // The start and end tokens, and the padding the authors' mode weighs as words, stand for no word of the query.
        var end = Array.IndexOf(query.TokenIds, model.Tokenizer.EndOfTextId);
        var words = evidence.Words
            .Where(w => w.Position < end && query.TokenIds[w.Position] != model.Tokenizer.StartOfTextId)
            .Select(w => new WordWeights(w.Position, model.Tokenizer.Decode([query.TokenIds[w.Position]]), w.Weights, w.Similarities))
            .ToList();
        return new SegmentEvidence(new SegmentSpan(segment.Index, segment.Start, segment.End), grid, places, words);
    }
}

/// <summary>One token of a segment's patch stream, placed in the video.</summary>
/// <param name="Frame">The video's sample (thumbnail) index of the frame it belongs to.</param>
/// <param name="T">That frame's time, seconds from the start of the source.</param>
/// <param name="Patch">The patch's cell in the frame's grid, row-major; null for the frame's class token (the whole picture).</param>
public sealed record EvidencePlace(int Frame, double T, int? Patch, int? Row, int? Column);

/// <summary>One query word: its weight on each <see cref="SegmentEvidence.Places"/> entry (summing to one) and the similarity weighed.</summary>
/// <param name="Position">Its token position in the query (1 = the first word).</param>
/// <param name="Token">The token as text (a word may be several tokens).</param>
public sealed record WordWeights(int Position, string Token, float[] Weights, float[] Similarities);

/// <param name="Grid">Patches per side of the model's square input: cell (Row, Column) covers 1/Grid of its width and height.</param>
public sealed record SegmentEvidence(SegmentSpan Segment, int Grid, IReadOnlyList<EvidencePlace> Places, IReadOnlyList<WordWeights> Words);
