using Npgsql;

namespace UCoFIA.Storage;

/// <summary>The JPEG thumbnail of each sampled frame, read by frame index (written with the video, <see cref="VideoRepository.InsertAsync"/>).</summary>
public sealed class ThumbnailRepository(NpgsqlDataSource dataSource)
{
    /// <summary>The JPEG bytes, or null when the video or the frame has none.</summary>
    public async Task<byte[]?> GetAsync(Guid videoId, int index, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT jpeg FROM video_thumbnails WHERE video_id = @id AND idx = @idx");
        command.Parameters.AddWithValue("id", videoId);
        command.Parameters.AddWithValue("idx", index);
        return await command.ExecuteScalarAsync(ct) as byte[];
    }
}
