using Npgsql;

namespace UCoFIA.Storage;

/// <summary>The gallery was encoded with another model than the one the service was started with.</summary>
public sealed class GalleryModelMismatchException(string database, string stored, string storedSource, string current, string currentSource)
    : Exception(
        $"The gallery in database '{database}' was encoded with model {stored} ({storedSource}), but the service was started with " +
        $"model {current} ({currentSource}). Features of two models cannot be compared, so the service refuses to mix them. " +
        "Start the service with the model the gallery was built with (Model:Path), re-encode the gallery for this model with " +
        "`ucofia reindex --model` while the service is stopped, or point ConnectionStrings:Postgres at a new database and " +
        "upload the videos again.");

/// <summary>A reindex is under way: the gallery holds two encodings until it finishes.</summary>
public sealed class GalleryReindexingException(string database, ReindexState reindex)
    : Exception(
        $"The gallery in database '{database}' is being re-encoded by `ucofia reindex` for {reindex.Target.Describe()} " +
        $"(started {reindex.StartedAt:u}, {reindex.VideosDone} of {reindex.Videos} videos done). Until it finishes the gallery " +
        "holds features of two encodings, so the service refuses to start. Run the same `ucofia reindex` command again to " +
        "resume it; once it has finished, start the service with that model (Model:Path) and those segment settings " +
        "(Ingest:SegmentSeconds, Ingest:SegmentStrideSeconds).");

/// <summary>Binds a gallery to the model its features come from, so a service never mixes two models' features.</summary>
public sealed class GalleryModel(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Records the model for a gallery that has none or holds nothing yet; otherwise checks that it is the same.
    /// </summary>
    /// <param name="fingerprint">The model's fingerprint (see UCoFIA.Model.ModelFingerprint).</param>
    /// <param name="source">Where the model came from, for the error message of a later mismatch.</param>
    /// <exception cref="GalleryModelMismatchException">The gallery holds features of another model.</exception>
    /// <exception cref="GalleryReindexingException"><c>ucofia reindex</c> has not finished re-encoding the gallery.</exception>
    public async Task BindAsync(string fingerprint, string source, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var stored = await LockAndReadAsync(connection, ct);
        if (await ReindexRepository.ReadStateAsync(connection, ct) is { } reindex)
        {
            throw new GalleryReindexingException(connection.Database, reindex);
        }
        if (stored == fingerprint)
        {
            return;
        }
        await using var read = new NpgsqlCommand(
            """
            SELECT (SELECT value FROM schema_settings WHERE key = 'model_source'),
                   EXISTS (SELECT 1 FROM videos) OR EXISTS (SELECT 1 FROM captions)
            """, connection);
        string? storedSource;
        bool holdsFeatures;
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (storedSource, holdsFeatures) = (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetBoolean(1));
        }
        if (stored is not null && holdsFeatures)
        {
            throw new GalleryModelMismatchException(connection.Database, stored, storedSource ?? "unknown", fingerprint, source);
        }
        await WriteAsync(connection, fingerprint, source, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Inside the caller's transaction, takes the lock that serialises binding and returns the fingerprint the gallery is
    /// bound to, or null: two instances starting together must not both decide the gallery is empty and bind different models.
    /// </summary>
    internal static async Task<string?> LockAndReadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "LOCK TABLE schema_settings IN SHARE ROW EXCLUSIVE MODE; SELECT value FROM schema_settings WHERE key = 'model_fingerprint'", connection);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>Records the gallery's model, inside the caller's transaction.</summary>
    internal static async Task WriteAsync(NpgsqlConnection connection, string fingerprint, string source, CancellationToken ct)
    {
        await using var write = new NpgsqlCommand(
            """
            INSERT INTO schema_settings (key, value) VALUES ('model_fingerprint', @fingerprint), ('model_source', @source)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, connection);
        write.Parameters.AddWithValue("fingerprint", fingerprint);
        write.Parameters.AddWithValue("source", source);
        await write.ExecuteNonQueryAsync(ct);
    }
}
