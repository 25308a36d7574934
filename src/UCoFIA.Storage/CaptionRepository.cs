using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace UCoFIA.Storage;

/// <summary>Captions with their sentence and word features: the gallery of video-to-text lookup.</summary>
public sealed class CaptionRepository(NpgsqlDataSource dataSource)
{
    private readonly NpgsqlDataSource _dataSource = dataSource;

    /// <summary>Writes the captions and their words in one transaction, both by binary COPY.</summary>
    /// <returns>False, writing nothing, when a caption's Sinkhorn–Knopp bias belongs to a fit that is no longer current: recompute and retry.</returns>
    public async Task<bool> InsertAsync(IReadOnlyList<CaptionInsert> captions, CancellationToken ct)
    {
        CheckShapes(captions);
        if (captions.Count == 0)
        {
            return true;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await SkFitRepository.AreCurrentAsync(connection, SkGallery.Captions, captions.Select(c => c.SkBias.Fit), ct))
        {
            return false;
        }
        await using (var rows = await connection.BeginBinaryImportAsync(
            "COPY captions (id, video_id, text, embedding, sk_bias, sk_fit) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var caption in captions)
            {
                await rows.StartRowAsync(ct);
                await rows.WriteAsync(caption.Id, NpgsqlDbType.Uuid, ct);
                if (caption.VideoId is { } videoId)
                {
                    await rows.WriteAsync(videoId, NpgsqlDbType.Uuid, ct);
                }
                else
                {
                    await rows.WriteNullAsync(ct);
                }
                await rows.WriteAsync(caption.Text, NpgsqlDbType.Text, ct);
                await rows.WriteAsync(Vectors.ToHalf(caption.Sentence), Vectors.HalfvecType, ct);
                await FeatureCopy.BiasAsync(rows, caption.SkBias, ct);
            }
            await rows.CompleteAsync(ct);
        }
        await CopyWordsAsync(connection, captions, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Throws, naming the caption, unless each has one word vector per token id.</summary>
    internal static void CheckShapes(IReadOnlyList<CaptionInsert> captions)
    {
        ArgumentNullException.ThrowIfNull(captions);
        foreach (var caption in captions)
        {
            if (caption.TokenIds.Length != caption.Words.Length)
            {
                throw new ArgumentException(
                    $"Caption {caption.Id} has {caption.TokenIds.Length} token ids but {caption.Words.Length} word vectors.", nameof(captions));
            }
        }
    }

    /// <summary>The word rows of the captions, by binary COPY inside the caller's transaction.</summary>
    internal static async Task CopyWordsAsync(NpgsqlConnection connection, IReadOnlyList<CaptionInsert> captions, CancellationToken ct)
    {
        await using var words = await connection.BeginBinaryImportAsync(
            "COPY caption_words (caption_id, pos, token_id, embedding) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var caption in captions)
        {
            for (var pos = 0; pos < caption.Words.Length; pos++)
            {
                await words.StartRowAsync(ct);
                await words.WriteAsync(caption.Id, NpgsqlDbType.Uuid, ct);
                await words.WriteAsync(pos, NpgsqlDbType.Integer, ct);
                await words.WriteAsync(caption.TokenIds[pos], NpgsqlDbType.Integer, ct);
                await words.WriteAsync(Vectors.ToHalf(caption.Words[pos]), Vectors.HalfvecType, ct);
            }
        }
        await words.CompleteAsync(ct);
    }

    /// <summary>The features of the given captions, in no particular order; unknown ids are skipped. One round trip.</summary>
    public async Task<IReadOnlyList<StoredCaptionFeatures>> LoadAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var idArray = ids.ToArray();
        await using var batch = _dataSource.CreateBatch();
        var captionsQuery = new NpgsqlBatchCommand("SELECT id, video_id, text, embedding, sk_bias, sk_fit FROM captions WHERE id = ANY(@ids)");
        captionsQuery.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, idArray);
        var wordsQuery = new NpgsqlBatchCommand("SELECT caption_id, embedding FROM caption_words WHERE caption_id = ANY(@ids) ORDER BY caption_id, pos");
        wordsQuery.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, idArray);
        batch.BatchCommands.Add(captionsQuery);
        batch.BatchCommands.Add(wordsQuery);
        await using var reader = await batch.ExecuteReaderAsync(ct);

        var captions = new List<(Guid Id, Guid? VideoId, string Text, float[] Sentence, SkBias Bias)>();
        while (await reader.ReadAsync(ct))
        {
            captions.Add((reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2),
                Vectors.ToFloats(reader.GetFieldValue<HalfVector>(3)), SkFitRepository.ReadBias(reader, 4, 5)));
        }

        await reader.NextResultAsync(ct);
        var words = new Dictionary<Guid, List<float[]>>();
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            if (!words.TryGetValue(id, out var list))
            {
                words[id] = list = [];
            }
            list.Add(Vectors.ToFloats(reader.GetFieldValue<HalfVector>(1)));
        }

        return captions
            .Select(c => new StoredCaptionFeatures(c.Id, c.VideoId, c.Text, c.Sentence, words.GetValueOrDefault(c.Id, []).ToArray(), c.Bias))
            .ToList();
    }

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM captions");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<bool> AnyForVideoAsync(Guid videoId, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM captions WHERE video_id = $1)");
        command.Parameters.AddWithValue(videoId);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<IReadOnlyList<Guid>> AllIdsAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT id FROM captions ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }
}
