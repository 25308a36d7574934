using Npgsql;

namespace UCoFIA.Storage;

/// <summary>The gallery was encoded with another model than the one the service was started with.</summary>
public sealed class GalleryModelMismatchException(string database, string stored, string storedSource, string current, string currentSource)
    : Exception(
        $"The gallery in database '{database}' was encoded with model {stored} ({storedSource}), but the service was started with " +
        $"model {current} ({currentSource}). Features of two models cannot be compared, so the service refuses to mix them. " +
        "Start the service with the model the gallery was built with (Model:Path), or point ConnectionStrings:Postgres at a new " +
        "database and upload the videos again to encode them with this model.");

/// <summary>Binds a gallery to the model its features come from, so a service never mixes two models' features.</summary>
public sealed class GalleryModel(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Records the model for a gallery that has none or holds nothing yet; otherwise checks that it is the same.
    /// </summary>
    /// <param name="fingerprint">The model's fingerprint (see UCoFIA.Model.ModelFingerprint).</param>
    /// <param name="source">Where the model came from, for the error message of a later mismatch.</param>
    /// <exception cref="GalleryModelMismatchException">The gallery holds features of another model.</exception>
    public async Task BindAsync(string fingerprint, string source, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Two instances starting together must not both decide the gallery is empty and bind different models.
        await using (var lockCommand = new NpgsqlCommand("LOCK TABLE schema_settings IN SHARE ROW EXCLUSIVE MODE", connection))
        {
            await lockCommand.ExecuteNonQueryAsync(ct);
        }
        await using var read = new NpgsqlCommand(
            """
            SELECT (SELECT value FROM schema_settings WHERE key = 'model_fingerprint'),
                   (SELECT value FROM schema_settings WHERE key = 'model_source'),
                   EXISTS (SELECT 1 FROM videos) OR EXISTS (SELECT 1 FROM captions)
            """, connection);
        string? stored, storedSource;
        bool holdsFeatures;
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            (stored, storedSource, holdsFeatures) = (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetBoolean(2));
        }
        if (stored == fingerprint)
        {
            return;
        }
        if (stored is not null && holdsFeatures)
        {
            throw new GalleryModelMismatchException(connection.Database, stored, storedSource ?? "unknown", fingerprint, source);
        }
        await using var write = new NpgsqlCommand(
            """
            INSERT INTO schema_settings (key, value) VALUES ('model_fingerprint', @fingerprint), ('model_source', @source)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, connection);
        write.Parameters.AddWithValue("fingerprint", fingerprint);
        write.Parameters.AddWithValue("source", source);
        await write.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }
}
