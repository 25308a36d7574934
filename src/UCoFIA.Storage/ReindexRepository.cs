using Npgsql;
using NpgsqlTypes;

namespace UCoFIA.Storage;

/// <summary>A reindex cannot start, go on or finish; the message says why and what to do.</summary>
public sealed class ReindexException(string message, Exception? inner = null) : Exception(message, inner)
{
    public static ReindexException TargetChanged(ReindexState current, ReindexTarget requested) => new(
        $"A reindex for {current.Target.Describe()} is under way (started {current.StartedAt:u}, {current.VideosDone} of " +
        $"{current.Videos} videos done), but this run asks for {requested.Describe()}. Run it again with the first run's " +
        "options to resume it, or add --restart to re-encode every video for the new target (what the first run " +
        "re-encoded is encoded again).");
}

/// <summary>
/// The state of <c>ucofia reindex</c> and its writes. While it runs the gallery is marked with its target, and a
/// service refuses to start (<see cref="GalleryModel"/>). A video's new segments replace its old ones in the
/// transaction that marks it done, so an interruption loses nothing and a rerun resumes after the last video done;
/// the mark goes in the transaction that binds the gallery to the target model.
/// </summary>
public sealed class ReindexRepository(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Connections of running services (<see cref="DataSourceFactory.ServiceApplicationName"/>) to this database. A
    /// running service always holds one: its job runner polls the jobs table every two seconds.
    /// </summary>
    public async Task<long> ServiceConnectionsAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = @name AND pid <> pg_backend_pid()
            """);
        command.Parameters.AddWithValue("name", DataSourceFactory.ServiceApplicationName);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The reindex under way, or null.</summary>
    public async Task<ReindexState?> GetAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await ReadStateAsync(connection, ct);
    }

    /// <summary>
    /// Marks the gallery as being re-encoded for <paramref name="target"/>, or finds the reindex already under way for
    /// it (then the videos it re-encoded stay done).
    /// </summary>
    /// <param name="restart">Replace a reindex under way for another target, forgetting what it re-encoded.</param>
    /// <exception cref="ReindexException">A reindex for another target is under way and <paramref name="restart"/> is false.</exception>
    public async Task<ReindexState> BeginAsync(ReindexTarget target, bool restart, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            // The lock GalleryModel takes: a service starting now binds before the mark, or sees it.
            var bound = await GalleryModel.LockAndReadAsync(connection, ct);
            var current = await ReadStateAsync(connection, ct);
            if (current is not null && current.Target.Matches(target))
            {
                await transaction.CommitAsync(ct);
                return current;
            }
            if (current is not null && !restart)
            {
                throw ReindexException.TargetChanged(current, target);
            }
            await using var begin = new NpgsqlCommand(
                """
                DELETE FROM reindex_done;
                DELETE FROM reindex;
                INSERT INTO reindex (model_fingerprint, model_source, segment_seconds, stride_seconds, model_changes)
                VALUES (@fingerprint, @source, @segment, @stride, @changes);
                """, connection);
            begin.Parameters.AddWithValue("fingerprint", target.Fingerprint);
            begin.Parameters.AddWithValue("source", target.Source);
            begin.Parameters.AddWithValue("segment", target.SegmentSeconds);
            begin.Parameters.AddWithValue("stride", target.StrideSeconds);
            // A run restarted from another target may have re-encoded some videos and captions with another model.
            begin.Parameters.AddWithValue("changes", bound != target.Fingerprint || current?.ModelChanges == true);
            await begin.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
        }
        return await GetAsync(ct) ?? throw new InvalidOperationException("The reindex row vanished after it was written.");
    }

    /// <summary>The videos not re-encoded yet, oldest first: a stable order, so progress and resumption are predictable.</summary>
    public async Task<IReadOnlyList<ReindexVideo>> PendingVideosAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT v.id, v.title, v.duration_s, v.original_bytes IS NOT NULL,
                   (SELECT count(*) FROM video_segments s WHERE s.video_id = v.id)::int
            FROM videos v WHERE NOT EXISTS (SELECT 1 FROM reindex_done d WHERE d.id = v.id)
            ORDER BY v.created_at, v.id
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var videos = new List<ReindexVideo>();
        while (await reader.ReadAsync(ct))
        {
            videos.Add(new ReindexVideo(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetDouble(2), reader.GetBoolean(3), reader.GetInt32(4)));
        }
        return videos;
    }

    /// <summary>
    /// Replaces the video's segments (with their frame and patch rows) and its thumbnails by new ones and marks it done,
    /// in one transaction: until it commits the video keeps its old features.
    /// </summary>
    /// <param name="sampleCount">The pictures sampled from it, one thumbnail each: its new frame_count.</param>
    /// <returns>False, writing nothing, when a segment's Sinkhorn–Knopp bias belongs to a fit that is no longer current: recompute and retry.</returns>
    public async Task<bool> ReplaceVideoAsync(Guid videoId, int sampleCount, IReadOnlyList<SegmentInsert> segments, IReadOnlyList<byte[]> thumbnails, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfZero(segments.Count, nameof(segments));
        FeatureCopy.CheckShapes(videoId, segments);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await SkFitRepository.AreCurrentAsync(connection, SkGallery.Videos, segments.Select(s => s.Bias.Fit), ct))
        {
            return false;
        }
        // Patches go with their frames (ON DELETE CASCADE).
        await using (var clear = new NpgsqlCommand(
            """
            DELETE FROM video_frames WHERE video_id = @id;
            DELETE FROM video_segments WHERE video_id = @id;
            DELETE FROM video_thumbnails WHERE video_id = @id;
            UPDATE videos SET frame_count = @samples WHERE id = @id;
            INSERT INTO reindex_done (id) VALUES (@id);
            """, connection))
        {
            clear.Parameters.AddWithValue("id", videoId);
            clear.Parameters.AddWithValue("samples", sampleCount);
            await clear.ExecuteNonQueryAsync(ct);
        }
        await FeatureCopy.AllAsync(connection, segments.Select(s => (videoId, s)).ToList(), ct);
        await FeatureCopy.ThumbnailsAsync(connection, videoId, thumbnails, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>At most <paramref name="limit"/> captions not re-encoded yet, in id order.</summary>
    public async Task<IReadOnlyList<ReindexCaption>> PendingCaptionsAsync(int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT c.id, c.video_id, c.text FROM captions c WHERE NOT EXISTS (SELECT 1 FROM reindex_done d WHERE d.id = c.id) ORDER BY c.id LIMIT @limit");
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var captions = new List<ReindexCaption>();
        while (await reader.ReadAsync(ct))
        {
            captions.Add(new ReindexCaption(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2)));
        }
        return captions;
    }

    /// <summary>Replaces the captions' sentence and word features (same ids, texts and videos) and marks them done, in one transaction.</summary>
    /// <returns>False, writing nothing, when a caption's Sinkhorn–Knopp bias belongs to a fit that is no longer current: recompute and retry.</returns>
    public async Task<bool> ReplaceCaptionsAsync(IReadOnlyList<CaptionInsert> captions, CancellationToken ct)
    {
        CaptionRepository.CheckShapes(captions);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await SkFitRepository.AreCurrentAsync(connection, SkGallery.Captions, captions.Select(c => c.SkBias.Fit), ct))
        {
            return false;
        }
        var ids = captions.Select(c => c.Id).ToArray();
        await using (var batch = new NpgsqlBatch(connection))
        {
            foreach (var sql in (string[])["DELETE FROM caption_words WHERE caption_id = ANY(@ids)", "INSERT INTO reindex_done (id) SELECT unnest(@ids)"])
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, ids);
                batch.BatchCommands.Add(command);
            }
            foreach (var caption in captions)
            {
                var update = new NpgsqlBatchCommand("UPDATE captions SET embedding = @embedding, sk_bias = @bias, sk_fit = @fit WHERE id = @id");
                update.Parameters.AddWithValue("embedding", Vectors.ToHalf(caption.Sentence));
                update.Parameters.AddWithValue("bias", NpgsqlDbType.Array | NpgsqlDbType.Real, FeatureCopy.BiasValue(caption.SkBias));
                update.Parameters.AddWithValue("fit", caption.SkBias.Fit);
                update.Parameters.AddWithValue("id", caption.Id);
                batch.BatchCommands.Add(update);
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
        await CaptionRepository.CopyWordsAsync(connection, captions, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Binds the gallery to the target's model and removes the mark, in one transaction.</summary>
    /// <param name="everyVideo">Refuse while a video is not re-encoded: the target is another model, whose features must not mix with the old one's.</param>
    /// <exception cref="ReindexException">A video is not re-encoded and <paramref name="everyVideo"/> is set.</exception>
    public async Task FinishAsync(ReindexTarget target, bool everyVideo, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await GalleryModel.LockAndReadAsync(connection, ct);
        if (everyVideo)
        {
            await using var pending = new NpgsqlCommand("SELECT count(*) FROM videos v WHERE NOT EXISTS (SELECT 1 FROM reindex_done d WHERE d.id = v.id)", connection);
            var left = (long)(await pending.ExecuteScalarAsync(ct))!;
            if (left > 0)
            {
                throw new ReindexException(
                    $"{left} videos are not re-encoded for the new model (were they added while the reindex ran?). " +
                    "Run the same command again to re-encode them.");
            }
        }
        await GalleryModel.WriteAsync(connection, target.Fingerprint, target.Source, ct);
        await using (var clear = new NpgsqlCommand("DELETE FROM reindex_done; DELETE FROM reindex;", connection))
        {
            await clear.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>The reindex under way, read on <paramref name="connection"/> (inside the caller's transaction), or null.</summary>
    internal static async Task<ReindexState?> ReadStateAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT r.model_fingerprint, r.model_source, r.segment_seconds, r.stride_seconds, r.model_changes, r.started_at,
                   (SELECT count(*) FROM reindex_done d JOIN videos v ON v.id = d.id), (SELECT count(*) FROM videos),
                   (SELECT count(*) FROM reindex_done d JOIN captions c ON c.id = d.id), (SELECT count(*) FROM captions)
            FROM reindex r
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new ReindexState(new ReindexTarget(reader.GetString(0), reader.GetString(1), reader.GetDouble(2), reader.GetDouble(3)),
                reader.GetBoolean(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9))
            : null;
    }
}
