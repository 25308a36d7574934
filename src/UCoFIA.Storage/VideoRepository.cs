using Npgsql;
using NpgsqlTypes;

namespace UCoFIA.Storage;

/// <summary>Video rows and their frame and patch features; a video and its features are written and deleted as one.</summary>
public sealed class VideoRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, sha256, title, duration_s, fps, frame_count, created_at, metadata, container, codec, original_bytes";

    private readonly NpgsqlDataSource _dataSource = dataSource;

    /// <summary>
    /// Writes the video row, its segments with their frame and patch rows, and its thumbnails in one transaction
    /// (the rows by binary COPY), so search never sees a video without its features and a job resumed after a crash
    /// never finds a video without its thumbnails. Throws,
    /// writing nothing, on a duplicate sha256 or a vector whose length is not the schema's D.
    /// </summary>
    /// <param name="thumbnails">One JPEG per sampled picture; none when the sampler kept no frames.</param>
    /// <param name="job">The ingestion job's claim, when a job writes the video: the write commits only while it holds.</param>
    /// <returns>False, writing nothing, when a segment's Sinkhorn–Knopp bias belongs to a fit that is no longer current: recompute and retry.</returns>
    /// <exception cref="JobLeaseLostException">Another instance took the job over; nothing was written.</exception>
    public async Task<bool> InsertAsync(VideoRecord video, IReadOnlyList<SegmentInsert> segments, CancellationToken ct,
        IReadOnlyList<byte[]>? thumbnails = null, JobFence? job = null)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentOutOfRangeException.ThrowIfZero(segments.Count, nameof(segments));
        FeatureCopy.CheckShapes(video.Id, segments);

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await SkFitRepository.AreCurrentAsync(connection, SkGallery.Videos, segments.Select(s => s.Bias.Fit), ct))
        {
            return false;
        }
        if (job is { } fence)
        {
            await JobRepository.EnsureHeldAsync(connection, fence, ct);
        }

        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO videos (id, sha256, title, duration_s, fps, frame_count, created_at, metadata, container, codec, original_bytes)
            VALUES (@id, @sha256, @title, @duration, @fps, @frames, @created, @metadata, @container, @codec, @original)
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
            insert.Parameters.AddWithValue("container", (object?)video.Container ?? DBNull.Value);
            insert.Parameters.AddWithValue("codec", (object?)video.Codec ?? DBNull.Value);
            insert.Parameters.AddWithValue("original", NpgsqlDbType.Bigint, (object?)video.OriginalBytes ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync(ct);
        }

        await FeatureCopy.AllAsync(connection, segments.Select(s => (video.Id, s)).ToList(), ct);
        await FeatureCopy.ThumbnailsAsync(connection, video.Id, thumbnails ?? [], ct);

        await transaction.CommitAsync(ct);
        return true;
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
    /// <remarks>Every instance hears of it (<see cref="GalleryChanges"/>) once it commits, so none serves the video from memory.</remarks>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("DELETE FROM videos WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        if (await command.ExecuteNonQueryAsync(ct) == 0)
        {
            return false;
        }
        await GalleryChanges.VideoChangedAsync(connection, id, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM videos");
        return (long)(await command.ExecuteScalarAsync(ct))!;
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
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.IsDBNull(10) ? null : reader.GetInt64(10));
}
