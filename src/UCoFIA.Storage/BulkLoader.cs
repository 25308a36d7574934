using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace UCoFIA.Storage;

/// <summary>One video for <see cref="BulkLoader"/>: its row and its features, stored as one segment without a bias.</summary>
public sealed record BulkVideo(VideoRecord Video, VideoFeatureRows Features)
{
    /// <summary>The segment takes the video's id, as migrated single-segment videos do.</summary>
    public SegmentInsert Segment => new(Video.Id, 0, 0, Video.DurationSeconds, 0, SkBias.None(), Features);
}

/// <summary>How long a bulk load took: the COPY of every row, then the recall index build.</summary>
public sealed record BulkLoadResult(int Videos, long Rows, TimeSpan Copy, TimeSpan IndexBuild);

/// <summary>
/// Loads many videos at once (benchmark galleries, migrations from another store): the HNSW recall indexes on
/// video_segments and video_frames are dropped, every row of videos, video_segments, video_frames and video_patches goes in by binary
/// COPY, and the indexes are built again afterwards, all in one transaction, so a failure leaves the gallery as it
/// was. Building HNSW once over all rows is several times faster than inserting into it row by row.
/// Searches against the tables wait for the transaction (the index drop takes an exclusive lock): this is an
/// offline operation, not for a serving gallery.
/// </summary>
public sealed class BulkLoader(NpgsqlDataSource dataSource)
{
    /// <summary>The recall indexes of the migrations (0001, 0005); rebuilt with the same definitions.</summary>
    private static readonly (string Name, string Create)[] RecallIndexes =
    [
        ("video_segments_embedding_hnsw", "CREATE INDEX video_segments_embedding_hnsw ON video_segments USING hnsw (embedding halfvec_cosine_ops)"),
        ("video_frames_embedding_hnsw", "CREATE INDEX video_frames_embedding_hnsw ON video_frames USING hnsw (embedding halfvec_cosine_ops)"),
    ];

    private readonly NpgsqlDataSource _dataSource = dataSource;

    /// <param name="videos">Enumerated once, in chunks of <paramref name="chunkSize"/>, so a large gallery is
    /// never held in memory whole.</param>
    /// <param name="maintenanceWorkMem">maintenance_work_mem for the index build; HNSW builds much faster when
    /// the graph fits in it.</param>
    public async Task<BulkLoadResult> LoadAsync(IEnumerable<BulkVideo> videos, CancellationToken ct, int chunkSize = 2000, string maintenanceWorkMem = "512MB")
    {
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var copyWatch = Stopwatch.StartNew();
        foreach (var (name, _) in RecallIndexes)
        {
            await ExecuteAsync(connection, $"DROP INDEX IF EXISTS {name}", ct);
        }

        var count = 0;
        long rows = 0;
        foreach (var chunk in videos.Chunk(chunkSize))
        {
            foreach (var (video, features) in chunk)
            {
                FeatureCopy.CheckShapes(video.Id, features);
            }
            // Rows must reach the tables parent first: frames reference videos, patches reference frames.
            rows += await CopyVideosAsync(connection, chunk, ct);
            rows += await FeatureCopy.AllAsync(connection, chunk.Select(v => (v.Video.Id, v.Segment)).ToList(), ct);
            count += chunk.Length;
        }
        copyWatch.Stop();

        var indexWatch = Stopwatch.StartNew();
        await ExecuteAsync(connection, $"SET LOCAL maintenance_work_mem = '{ValidateMemory(maintenanceWorkMem)}'", ct);
        foreach (var (_, create) in RecallIndexes)
        {
            await ExecuteAsync(connection, create, ct);
        }
        await transaction.CommitAsync(ct);
        indexWatch.Stop();
        // VACUUM as well as ANALYZE: millions of freshly copied rows otherwise set off autovacuum minutes later, and
        // its pass over the tables and the HNSW graph ran beside the first searches (100k videos: cold fetch p50 1 s).
        await ExecuteAsync(connection, "VACUUM (ANALYZE) videos, video_segments, video_frames, video_patches", ct);
        return new BulkLoadResult(count, rows, copyWatch.Elapsed, indexWatch.Elapsed);
    }

    private static async Task<long> CopyVideosAsync(NpgsqlConnection connection, BulkVideo[] chunk, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY videos (id, sha256, title, duration_s, fps, frame_count, created_at, metadata) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var video in chunk.Select(v => v.Video))
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(video.Id, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(video.Sha256, NpgsqlDbType.Text, ct);
            if (video.Title is null)
            {
                await copy.WriteNullAsync(ct);
            }
            else
            {
                await copy.WriteAsync(video.Title, NpgsqlDbType.Text, ct);
            }
            await copy.WriteAsync(video.DurationSeconds, NpgsqlDbType.Double, ct);
            await copy.WriteAsync(video.Fps, NpgsqlDbType.Double, ct);
            await copy.WriteAsync(video.FrameCount, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(video.CreatedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(video.MetadataJson, NpgsqlDbType.Jsonb, ct);
        }
        return (long)await copy.CompleteAsync(ct);
    }

    /// <summary>maintenance_work_mem is spliced into SET (no parameters there): digits and a unit only.</summary>
    private static string ValidateMemory(string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, "^[0-9]+(kB|MB|GB)$")
            ? value
            : throw new ArgumentException($"maintenance_work_mem '{value}' is not of the form 512MB.", nameof(value));

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }
}
