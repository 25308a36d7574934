using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace UCoFIA.Storage;

/// <summary>
/// Search-side reads: coarse recall over the HNSW indexes and the features the re-ranker needs for the candidates.
/// They run where <see cref="SearchConnections"/> sends them: on a standby that has replayed the newest write, when
/// standbys are configured.
/// </summary>
/// <param name="exactSearchThreshold">
/// Galleries with at most this many rows are scanned exactly: that is cheap there and returns the true nearest
/// neighbours, where HNSW is approximate.
/// </param>
public sealed class FeatureRepository(SearchConnections connections, int exactSearchThreshold = FeatureRepository.DefaultExactSearchThreshold)
{
    /// <summary>Every read on the primary: what ingestion needs (a refit must see the video just stored).</summary>
    public FeatureRepository(NpgsqlDataSource dataSource, int exactSearchThreshold = DefaultExactSearchThreshold)
        : this(new SearchConnections(dataSource), exactSearchThreshold)
    {
    }

    public const int DefaultExactSearchThreshold = 2000;

    /// <summary>pgvector's upper bound for hnsw.ef_search.</summary>
    private const int MaxEfSearch = 1000;

    private readonly SearchConnections _connections = connections;
    private readonly int _exactSearchThreshold = exactSearchThreshold >= 0
        ? exactSearchThreshold
        : throw new ArgumentOutOfRangeException(nameof(exactSearchThreshold));

    /// <summary>
    /// The features of the given segments, in no particular order; unknown ids are skipped.
    /// One round trip: a batch of one query per table.
    /// </summary>
    public async Task<IReadOnlyList<GallerySegment>> LoadSegmentsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        var idArray = ids.ToArray();
        const string Wanted = "(SELECT video_id, idx FROM video_segments WHERE id = ANY(@ids))";
        await using var connection = await _connections.OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(WithIds(
            """
            SELECT s.id, s.video_id, v.title, s.idx, s.start_s, s.end_s, s.first_sample, s.embedding, s.sk_bias, s.sk_fit,
                   v.original_bytes IS NOT NULL
            FROM video_segments s JOIN videos v ON v.id = s.video_id WHERE s.id = ANY(@ids)
            """, idArray));
        batch.BatchCommands.Add(WithIds(
            $"SELECT video_id, segment, t_s, embedding FROM video_frames WHERE (video_id, segment) IN {Wanted} ORDER BY video_id, segment, idx", idArray));
        batch.BatchCommands.Add(WithIds(
            $"SELECT video_id, segment, patch_idx, embedding FROM video_patches WHERE (video_id, segment) IN {Wanted} ORDER BY video_id, segment, frame_idx, rank", idArray));
        await using var reader = await batch.ExecuteReaderAsync(ct);

        var segments = new List<(Guid Id, Guid VideoId, string? Title, int Index, double Start, double End, int FirstSample, float[] Video, SkBias Bias, bool HasOriginal)>();
        while (await reader.ReadAsync(ct))
        {
            segments.Add((reader.GetGuid(0), reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt32(3),
                reader.GetDouble(4), reader.GetDouble(5), reader.GetInt32(6), Vectors.ToFloats(reader.GetFieldValue<HalfVector>(7)),
                SkFitRepository.ReadBias(reader, 8, 9), reader.GetBoolean(10)));
        }

        await reader.NextResultAsync(ct);
        var frames = new Dictionary<(Guid, int), (List<float> Vectors, List<double> Times)>();
        while (await reader.ReadAsync(ct))
        {
            var (vectors, times) = Rows(frames, (reader.GetGuid(0), reader.GetInt32(1)));
            times.Add(reader.GetDouble(2));
            vectors.AddRange(Vectors.ToFloats(reader.GetFieldValue<HalfVector>(3)));
        }

        await reader.NextResultAsync(ct);
        // Rows come in (frame, rank) order, which is the [F, K] layout itself.
        var patches = new Dictionary<(Guid, int), (List<float> Vectors, List<int> Indices)>();
        while (await reader.ReadAsync(ct))
        {
            var (vectors, indices) = Rows(patches, (reader.GetGuid(0), reader.GetInt32(1)));
            indices.Add(reader.GetInt32(2));
            vectors.AddRange(Vectors.ToFloats(reader.GetFieldValue<HalfVector>(3)));
        }

        return segments.Select(s =>
        {
            var (frameVectors, frameTimes) = frames.GetValueOrDefault((s.VideoId, s.Index), ([], []));
            var (patchVectors, patchIndices) = patches.GetValueOrDefault((s.VideoId, s.Index), ([], []));
            return new GallerySegment(s.Id, s.VideoId, s.Title, s.Index, s.Start, s.End, s.FirstSample, s.Bias,
                new VideoFeatureRows(s.Video, [.. frameVectors], [.. frameTimes], [.. patchVectors], [.. patchIndices]), s.HasOriginal);
        }).ToList();
    }

    /// <summary>The segments of the given videos, in video then segment order.</summary>
    public Task<IReadOnlyList<Guid>> SegmentIdsOfAsync(IReadOnlyCollection<Guid> videoIds, CancellationToken ct) =>
        IdsAsync(WithIds("SELECT id FROM video_segments WHERE video_id = ANY(@ids) ORDER BY video_id, idx", videoIds.ToArray()), ct);

    /// <summary>Every segment, or those of the videos that pass <paramref name="filter"/>, in id order.</summary>
    public Task<IReadOnlyList<Guid>> SegmentIdsAsync(CancellationToken ct, VideoFilter? filter = null)
    {
        var command = new NpgsqlBatchCommand();
        var predicate = filter is { IsEmpty: false } ? filter.ToSql("v", command.Parameters) : "true";
        command.CommandText = $"SELECT s.id FROM video_segments s JOIN videos v ON v.id = s.video_id WHERE {predicate} ORDER BY s.id";
        return IdsAsync(command, ct);
    }

    public async Task<long> CountSegmentsAsync(CancellationToken ct)
    {
        await using var connection = await _connections.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM video_segments", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task<IReadOnlyList<Guid>> IdsAsync(NpgsqlBatchCommand query, CancellationToken ct)
    {
        await using var connection = await _connections.OpenAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(query);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    private static (List<float>, List<T>) Rows<T>(Dictionary<(Guid, int), (List<float>, List<T>)> bySegment, (Guid, int) key)
    {
        if (!bySegment.TryGetValue(key, out var rows))
        {
            bySegment[key] = rows = ([], []);
        }
        return rows;
    }

    /// <summary>
    /// Coarse recall of <paramref name="candidates"/> distinct segments (fewer only when the gallery is smaller):
    /// the nearest segments by segment vector, merged rank by rank with the segments of the nearest frames, so a
    /// segment whose summary vector is far but one moment matches still reaches the re-ranker.
    /// </summary>
    /// <param name="query">[D] L2-normalised text (or image) feature, what frame vectors are compared with.</param>
    /// <param name="videoQuery">[D] for a text, the vector whose inner product with a segment vector is the full
    /// model's video-level score (UCoFIAModel.RecallQuery). The segment scan then ranks by that score plus the
    /// segment's video-level Sinkhorn–Knopp bias, as the re-rank does, over twice the candidates the index returns
    /// nearest. Without it, segments rank by cosine with <paramref name="query"/>.</param>
    /// <param name="efSearch">HNSW beam width; raised to <paramref name="candidates"/> when smaller.</param>
    /// <param name="filter">
    /// Applied inside both nearest-neighbour scans; with hnsw.iterative_scan the index keeps scanning past rows the
    /// filter drops, so a selective filter still yields <paramref name="candidates"/> segments when that many match.
    /// </param>
    public Task<IReadOnlyList<Guid>> RecallSegmentsAsync(float[] query, int candidates, int efSearch, CancellationToken ct,
        VideoFilter? filter = null, float[]? videoQuery = null)
    {
        var search = new NpgsqlBatchCommand();
        search.Parameters.AddWithValue("videoQuery", Vectors.ToHalf(videoQuery ?? query));
        // <=> is the cosine distance, and stored segment vectors are unit: q·v = |q|·(1 − distance).
        search.Parameters.AddWithValue("scoreScale", videoQuery is null ? 0.0 : Math.Sqrt(videoQuery.Sum(x => (double)x * x)));
        search.Parameters.AddWithValue("nearest", videoQuery is null ? candidates : 2 * candidates);
        var filtered = filter is { IsEmpty: false };
        var predicate = filtered ? filter!.ToSql("v", search.Parameters) : "true";
        // The scans reach the videos table only when there is something to filter on.
        var segmentFilter = filtered ? $"WHERE EXISTS (SELECT 1 FROM videos v WHERE v.id = s.video_id AND {predicate})" : "";
        var frameFilter = filtered ? $"WHERE EXISTS (SELECT 1 FROM videos v WHERE v.id = f.video_id AND {predicate})" : "";
        search.CommandText =
            $"""
            WITH nearest_segments AS MATERIALIZED (
                SELECT s.id, s.embedding <=> @videoQuery AS distance, s.sk_bias[1] AS bias FROM video_segments s {segmentFilter}
                ORDER BY s.embedding <=> @videoQuery LIMIT @nearest
            ), by_segment AS (
                -- With a score scale, the video-level score plus its bias; without, the cosine (the bias is not on its scale).
                SELECT id, CASE WHEN @scoreScale > 0 THEN -(@scoreScale * (1 - distance) + coalesce(bias, 0)) ELSE distance END AS distance
                FROM nearest_segments ORDER BY 2 LIMIT @candidates
            ), by_frame AS MATERIALIZED (
                SELECT f.video_id, f.segment, f.embedding <=> @query AS distance FROM video_frames f {frameFilter}
                ORDER BY f.embedding <=> @query LIMIT @candidates
            ), ranked AS (
                -- Ranks, not distances: segment and frame similarities live on different scales.
                SELECT id, row_number() OVER (ORDER BY distance) AS rank FROM by_segment
                UNION ALL
                SELECT s.id, row_number() OVER (ORDER BY min(f.distance))
                FROM by_frame f JOIN video_segments s ON s.video_id = f.video_id AND s.idx = f.segment GROUP BY s.id
            )
            SELECT id FROM ranked GROUP BY id ORDER BY min(rank), id LIMIT @candidates
            """;
        return RecallAsync("video_segments", search, query, candidates, efSearch, ct);
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

        await using var connection = await _connections.OpenAsync(ct);
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
