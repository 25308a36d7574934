using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace UCoFIA.Storage;

/// <summary>
/// Search-side reads: coarse recall over the HNSW indexes and the features the re-ranker needs for the candidates.
/// </summary>
/// <param name="exactSearchThreshold">
/// Galleries with at most this many rows are scanned exactly: that is cheap there and returns the true nearest
/// neighbours, where HNSW is approximate.
/// </param>
public sealed class FeatureRepository(NpgsqlDataSource dataSource, int exactSearchThreshold = FeatureRepository.DefaultExactSearchThreshold)
{
    public const int DefaultExactSearchThreshold = 2000;

    /// <summary>pgvector's upper bound for hnsw.ef_search.</summary>
    private const int MaxEfSearch = 1000;

    private readonly NpgsqlDataSource _dataSource = dataSource;
    private readonly int _exactSearchThreshold = exactSearchThreshold >= 0
        ? exactSearchThreshold
        : throw new ArgumentOutOfRangeException(nameof(exactSearchThreshold));

    /// <summary>
    /// The features of the given videos, in no particular order; unknown ids are skipped.
    /// One round trip: a batch of one query per table.
    /// </summary>
    public async Task<IReadOnlyList<GalleryVideo>> LoadVideoFeaturesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var idArray = ids.ToArray();
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(WithIds("SELECT id, title, embedding, sk_bias, sk_fit FROM videos WHERE id = ANY(@ids)", idArray));
        batch.BatchCommands.Add(WithIds("SELECT video_id, t_s, embedding FROM video_frames WHERE video_id = ANY(@ids) ORDER BY video_id, idx", idArray));
        batch.BatchCommands.Add(WithIds(
            "SELECT video_id, patch_idx, embedding FROM video_patches WHERE video_id = ANY(@ids) ORDER BY video_id, frame_idx, rank", idArray));
        await using var reader = await batch.ExecuteReaderAsync(ct);

        var videos = new List<(Guid Id, string? Title, float[] Video, SkBias Bias)>();
        while (await reader.ReadAsync(ct))
        {
            videos.Add((reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                Vectors.ToFloats(reader.GetFieldValue<HalfVector>(2)), SkFitRepository.ReadBias(reader, 3, 4)));
        }

        await reader.NextResultAsync(ct);
        var frames = new Dictionary<Guid, (List<float> Vectors, List<double> Times)>();
        while (await reader.ReadAsync(ct))
        {
            var (vectors, times) = Rows(frames, reader.GetGuid(0));
            times.Add(reader.GetDouble(1));
            vectors.AddRange(Vectors.ToFloats(reader.GetFieldValue<HalfVector>(2)));
        }

        await reader.NextResultAsync(ct);
        // Rows come in (frame, rank) order, which is the [F, K] layout itself.
        var patches = new Dictionary<Guid, (List<float> Vectors, List<int> Indices)>();
        while (await reader.ReadAsync(ct))
        {
            var (vectors, indices) = Rows(patches, reader.GetGuid(0));
            indices.Add(reader.GetInt32(1));
            vectors.AddRange(Vectors.ToFloats(reader.GetFieldValue<HalfVector>(2)));
        }

        return videos.Select(v =>
        {
            var (frameVectors, frameTimes) = frames.GetValueOrDefault(v.Id, ([], []));
            var (patchVectors, patchIndices) = patches.GetValueOrDefault(v.Id, ([], []));
            return new GalleryVideo(v.Id, v.Title, v.Bias,
                new VideoFeatureRows(v.Video, [.. frameVectors], [.. frameTimes], [.. patchVectors], [.. patchIndices]));
        }).ToList();
    }

    private static (List<float>, List<T>) Rows<T>(Dictionary<Guid, (List<float>, List<T>)> byVideo, Guid id)
    {
        if (!byVideo.TryGetValue(id, out var rows))
        {
            byVideo[id] = rows = ([], []);
        }
        return rows;
    }

    /// <summary>
    /// Coarse recall of <paramref name="candidates"/> distinct videos (fewer only when the gallery is smaller):
    /// the nearest videos by video vector, merged rank by rank with the videos of the nearest frames, so a video
    /// whose summary vector is far but one moment matches still reaches the re-ranker.
    /// </summary>
    /// <param name="query">[D] L2-normalised text (or image) feature.</param>
    /// <param name="efSearch">HNSW beam width; raised to <paramref name="candidates"/> when smaller.</param>
    /// <param name="filter">
    /// Applied inside both nearest-neighbour scans; with hnsw.iterative_scan the index keeps scanning past rows the
    /// filter drops, so a selective filter still yields <paramref name="candidates"/> videos when that many match.
    /// </param>
    public Task<IReadOnlyList<Guid>> RecallVideosAsync(float[] query, int candidates, int efSearch, CancellationToken ct, VideoFilter? filter = null)
    {
        var search = new NpgsqlBatchCommand();
        var filtered = filter is { IsEmpty: false };
        var predicate = filtered ? filter!.ToSql("v", search.Parameters) : "true";
        // The frame scan reaches the videos table only when there is something to filter on.
        var frameFilter = filtered ? $"WHERE EXISTS (SELECT 1 FROM videos v WHERE v.id = f.video_id AND {predicate})" : "";
        search.CommandText =
            $"""
            WITH by_video AS MATERIALIZED (
                SELECT v.id, v.embedding <=> @query AS distance FROM videos v WHERE {predicate}
                ORDER BY v.embedding <=> @query LIMIT @candidates
            ), by_frame AS MATERIALIZED (
                SELECT f.video_id, f.embedding <=> @query AS distance FROM video_frames f {frameFilter}
                ORDER BY f.embedding <=> @query LIMIT @candidates
            ), ranked AS (
                -- Ranks, not distances: video and frame similarities live on different scales.
                SELECT id, row_number() OVER (ORDER BY distance) AS rank FROM by_video
                UNION ALL
                SELECT video_id, row_number() OVER (ORDER BY min(distance)) FROM by_frame GROUP BY video_id
            )
            SELECT id FROM ranked GROUP BY id ORDER BY min(rank), id LIMIT @candidates
            """;
        return RecallAsync("videos", search, query, candidates, efSearch, ct);
    }

    /// <summary>Coarse recall of <paramref name="candidates"/> captions by sentence vector, nearest first.</summary>
    /// <param name="query">[D] L2-normalised video feature.</param>
    public Task<IReadOnlyList<Guid>> RecallCaptionsAsync(float[] query, int candidates, int efSearch, CancellationToken ct) =>
        RecallAsync("captions", new NpgsqlBatchCommand(
            """
            WITH hits AS MATERIALIZED (
                SELECT id, embedding <=> @query AS distance FROM captions ORDER BY embedding <=> @query LIMIT @candidates
            )
            SELECT id FROM hits ORDER BY distance
            """), query, candidates, efSearch, ct);

    /// <summary>
    /// Runs a nearest-neighbour query with per-transaction search settings, in one round trip:
    /// <list type="bullet">
    /// <item>hnsw.ef_search ≥ candidates: with LIMIT k above ef_search, HNSW silently returns only ef_search rows;</item>
    /// <item>hnsw.iterative_scan = relaxed_order: keeps scanning when rows are filtered out (the queries re-sort);</item>
    /// <item>a small gallery (<paramref name="gallery"/> has at most the threshold's rows) is scanned exactly
    /// (enable_indexscan = off); a larger one always through HNSW (enable_seqscan = off), because at high
    /// ef_search the planner may otherwise pick a sequential scan of the whole table.</item>
    /// </list>
    /// </summary>
    private async Task<IReadOnlyList<Guid>> RecallAsync(string gallery, NpgsqlBatchCommand search, float[] query, int candidates, int efSearch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction);

        // gallery is one of this class's table names, never input. The count stops at threshold + 1 rows,
        // so deciding costs nothing on a large gallery.
        var settings = new NpgsqlBatchCommand(
            $"""
            SELECT set_config('hnsw.ef_search', @ef::text, true),
                   set_config('hnsw.iterative_scan', 'relaxed_order', true),
                   set_config(CASE WHEN small THEN 'enable_indexscan' ELSE 'enable_seqscan' END, 'off', true)
            FROM (SELECT count(*) <= @threshold AS small FROM (SELECT 1 FROM {gallery} LIMIT @threshold + 1) AS rows) AS gallery
            """);
        settings.Parameters.AddWithValue("ef", Math.Clamp(Math.Max(efSearch, candidates), 1, MaxEfSearch));
        settings.Parameters.AddWithValue("threshold", (long)_exactSearchThreshold);
        batch.BatchCommands.Add(settings);

        search.Parameters.AddWithValue("query", Vectors.ToHalf(query));
        search.Parameters.AddWithValue("candidates", candidates);
        batch.BatchCommands.Add(search);

        var ids = new List<Guid>(candidates);
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetGuid(0));
            }
        }
        await transaction.CommitAsync(ct);
        return ids;
    }

    private static NpgsqlBatchCommand WithIds(string sql, Guid[] ids)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, ids);
        return command;
    }
}
