using Npgsql;
using NpgsqlTypes;

namespace UCoFIA.Storage;

/// <summary>Video rows and their frame and patch features; a video and its features are written and deleted as one.</summary>
public sealed class VideoRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, sha256, title, duration_s, fps, frame_count, created_at, metadata, sk_bias";

    private readonly NpgsqlDataSource _dataSource = dataSource;

    /// <summary>
    /// Writes the video row, its frames and its patches in one transaction (frames and patches by binary COPY),
    /// so search never sees a video without its features. Throws, writing nothing, on a duplicate sha256
    /// or a vector whose length is not the schema's D.
    /// </summary>
    public async Task InsertAsync(VideoRecord video, VideoFeatureRows features, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(video);
        FeatureCopy.CheckShapes(video.Id, features);

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);

        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO videos (id, sha256, title, duration_s, fps, frame_count, created_at, metadata, embedding, sk_bias)
            VALUES (@id, @sha256, @title, @duration, @fps, @frames, @created, @metadata, @embedding, @bias)
            """, connection))
        {
            insert.Parameters.AddWithValue("id", video.Id);
            insert.Parameters.AddWithValue("sha256", video.Sha256);
            insert.Parameters.AddWithValue("title", (object?)video.Title ?? DBNull.Value);
            insert.Parameters.AddWithValue("duration", video.DurationSeconds);
            insert.Parameters.AddWithValue("fps", video.Fps);
            insert.Parameters.AddWithValue("frames", video.FrameCount);
            insert.Parameters.AddWithValue("created", video.CreatedAt.ToUniversalTime());
            insert.Parameters.AddWithValue("metadata", NpgsqlDbType.Jsonb, video.MetadataJson);
            insert.Parameters.AddWithValue("embedding", Vectors.ToHalf(features.Video));
            insert.Parameters.AddWithValue("bias", NpgsqlDbType.Array | NpgsqlDbType.Real, (object?)video.SkBias ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync(ct);
        }

        await FeatureCopy.FramesAsync(connection, [(video.Id, features)], ct);
        await FeatureCopy.PatchesAsync(connection, [(video.Id, features)], ct);

        await transaction.CommitAsync(ct);
    }

    public Task<VideoRecord?> GetAsync(Guid id, CancellationToken ct) =>
        FindOneAsync($"SELECT {Columns} FROM videos WHERE id = @value", id, ct);

    public Task<VideoRecord?> FindBySha256Async(string sha256, CancellationToken ct) =>
        FindOneAsync($"SELECT {Columns} FROM videos WHERE sha256 = @value", sha256, ct);

    /// <summary>Newest first.</summary>
    /// <param name="page">1-based.</param>
    /// <param name="pageSize">1 to 1000.</param>
    public async Task<(IReadOnlyList<VideoRecord> Items, long Total)> ListAsync(int page, int pageSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 1000);

        // One round trip: the page and the total.
        await using var batch = _dataSource.CreateBatch();
        var list = new NpgsqlBatchCommand($"SELECT {Columns} FROM videos ORDER BY created_at DESC, id LIMIT @limit OFFSET @offset");
        list.Parameters.AddWithValue("limit", pageSize);
        list.Parameters.AddWithValue("offset", (long)(page - 1) * pageSize);
        batch.BatchCommands.Add(list);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT count(*) FROM videos"));

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var items = new List<VideoRecord>();
        while (await reader.ReadAsync(ct))
        {
            items.Add(ReadVideo(reader));
        }
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return (items, reader.GetInt64(0));
    }

    /// <summary>Deletes the video with its frames, patches and captions (ON DELETE CASCADE); false when there was none.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("DELETE FROM videos WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM videos");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public async Task<IReadOnlyList<Guid>> AllIdsAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT id FROM videos ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    /// <summary>The ids of the videos that pass <paramref name="filter"/>, in id order.</summary>
    public async Task<IReadOnlyList<Guid>> IdsAsync(VideoFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var command = _dataSource.CreateCommand();
        command.CommandText = $"SELECT v.id FROM videos v WHERE {filter.ToSql("v", command.Parameters)} ORDER BY v.id";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    /// <summary>
    /// Replaces the Sinkhorn–Knopp bias of many videos at once: a rebalance touches the whole gallery,
    /// so the biases go through binary COPY into a temporary table and one UPDATE joins it.
    /// </summary>
    public async Task UpdateSkBiasAsync(IReadOnlyDictionary<Guid, float[]> biases, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(biases);
        if (biases.Count == 0)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE sk_bias_update (id uuid PRIMARY KEY, sk_bias real[] NOT NULL) ON COMMIT DROP", connection))
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        await using (var copy = await connection.BeginBinaryImportAsync("COPY sk_bias_update (id, sk_bias) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (id, bias) in biases)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(bias, NpgsqlDbType.Array | NpgsqlDbType.Real, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await using (var update = new NpgsqlCommand("UPDATE videos v SET sk_bias = u.sk_bias FROM sk_bias_update u WHERE v.id = u.id", connection))
        {
            await update.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    private async Task<VideoRecord?> FindOneAsync<T>(string sql, T value, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("value", value!);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadVideo(reader) : null;
    }

    /// <summary>Reads the <see cref="Columns"/> projection.</summary>
    private static VideoRecord ReadVideo(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetDouble(3),
        reader.GetDouble(4),
        reader.GetInt32(5),
        reader.GetFieldValue<DateTimeOffset>(6),
        reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetFieldValue<float[]>(8));
}
