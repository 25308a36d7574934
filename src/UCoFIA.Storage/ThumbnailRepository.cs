using Npgsql;
using NpgsqlTypes;

namespace UCoFIA.Storage;

/// <summary>The JPEG thumbnail of each sampled frame, written once at ingest and read by frame index.</summary>
public sealed class ThumbnailRepository(NpgsqlDataSource dataSource)
{
    /// <summary>Stores the thumbnails of one video, frame i at index i; replaces any stored before.</summary>
    public async Task StoreAsync(Guid videoId, IReadOnlyList<byte[]> jpegs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(jpegs);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var delete = new NpgsqlCommand("DELETE FROM video_thumbnails WHERE video_id = @id", connection))
        {
            delete.Parameters.AddWithValue("id", videoId);
            await delete.ExecuteNonQueryAsync(ct);
        }
        await using (var copy = await connection.BeginBinaryImportAsync("COPY video_thumbnails (video_id, idx, jpeg) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < jpegs.Count; i++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(videoId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(i, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(jpegs[i], NpgsqlDbType.Bytea, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>The JPEG bytes, or null when the video or the frame has none.</summary>
    public async Task<byte[]?> GetAsync(Guid videoId, int index, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT jpeg FROM video_thumbnails WHERE video_id = @id AND idx = @idx");
        command.Parameters.AddWithValue("id", videoId);
        command.Parameters.AddWithValue("idx", index);
        return await command.ExecuteScalarAsync(ct) as byte[];
    }
}
