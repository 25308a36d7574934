using UCoFIA.Service.Domain;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Ingestion;

/// <summary>Encodes captions (sentence and word features) into the caption gallery that video→text search ranks.</summary>
public sealed class CaptionGallery(ModelWorker worker, CaptionRepository repository, VideoRepository videos, CaptionSinkhornBias sinkhorn)
{
    /// <exception cref="NotFoundException"><paramref name="videoId"/> names no stored video.</exception>
    public async Task<IReadOnlyList<Guid>> AddAsync(IReadOnlyList<string> texts, Guid? videoId, CancellationToken cancellationToken)
    {
        if (videoId is { } id && await videos.GetAsync(id, cancellationToken) is null)
        {
            throw new NotFoundException("Video", id);
        }
        EncodedText[] encoded;
        using (ServiceTelemetry.Stage("encode-caption"))
        {
            encoded = await worker.EncodeTextsAsync(texts, cancellationToken);
        }
        var ids = encoded.Select(_ => Guid.CreateVersion7()).ToList();
        await sinkhorn.WriteAsync(encoded, async biases =>
        {
            using var store = ServiceTelemetry.Stage("store");
            return await repository.InsertAsync(encoded.Select((e, i) => ToInsert(e, ids[i], videoId, biases[i])).ToList(), cancellationToken);
        }, cancellationToken);
        sinkhorn.RequestRebalance();
        return ids;
    }

    /// <summary>The row of an encoded caption. Only real tokens are stored; padding positions are rebuilt as masked zeros when the caption is loaded.</summary>
    internal static CaptionInsert ToInsert(EncodedText text, Guid id, Guid? videoId, SkBias bias)
    {
        var positions = text.RealPositions.ToArray();
        return new CaptionInsert(id, videoId, text.Text, text.Sentence,
            positions.Select(i => text.TokenIds[i]).ToArray(), positions.Select(text.Word).ToArray(), bias);
    }
}
