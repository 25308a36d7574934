using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>Encodes captions (sentence and word features) into the caption gallery that video→text search ranks.</summary>
public sealed class CaptionGallery(ModelWorker worker, CaptionRepository repository)
{
    public async Task<IReadOnlyList<Guid>> AddAsync(IReadOnlyList<string> texts, Guid? videoId, CancellationToken cancellationToken)
    {
        EncodedText[] encoded;
        using (ServiceTelemetry.Stage("encode-caption"))
        {
            encoded = await worker.EncodeTextsAsync(texts, cancellationToken);
        }
        var rows = encoded.Select(e => ToInsert(e, Guid.CreateVersion7(), videoId)).ToList();
        using (ServiceTelemetry.Stage("store"))
        {
            await repository.InsertAsync(rows, cancellationToken);
        }
        return rows.Select(r => r.Id).ToList();
    }

    // Only real tokens are stored; padding positions are rebuilt as masked zeros when the caption is loaded.
    private static CaptionInsert ToInsert(EncodedText text, Guid id, Guid? videoId)
    {
        var d = text.Sentence.Length;
        var positions = Enumerable.Range(0, text.WordMask.Length).Where(i => text.WordMask[i]).ToArray();
        return new CaptionInsert(id, videoId, text.Text, text.Sentence,
            positions.Select(i => text.TokenIds[i]).ToArray(),
            positions.Select(i => text.Words.AsSpan(i * d, d).ToArray()).ToArray());
    }

    /// <summary>Rebuilds a stored caption as the padded arrays the model consumes.</summary>
    public static EncodedText ToEncoded(StoredCaptionFeatures stored, int maxLength)
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
