using Npgsql;
using NpgsqlTypes;

namespace UCoFIA.Storage;

/// <summary>
/// The versioned online Sinkhorn–Knopp fits and the biases of the items they cover. A fit and the biases computed
/// under it commit together; a bias computed under an older fit is refused, so a gallery never mixes fits for long.
/// </summary>
public sealed class SkFitRepository(NpgsqlDataSource dataSource)
{
    private static readonly string[] Granularities = ["video", "frame", "patch"];

    /// <summary>The gallery's current fit; version 0 with empty scalings when it was never fitted.</summary>
    public async Task<SkFit> GetAsync(SkGallery gallery, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(WithGallery("SELECT version, gallery_size, bank FROM sk_fit WHERE gallery = @gallery", gallery));
        batch.BatchCommands.Add(WithGallery("SELECT granularity, query_scaling FROM sk_scaling WHERE gallery = @gallery", gallery));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var (version, size, bank) = await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetInt32(1), reader.GetFieldValue<Guid[]>(2)) : (0L, 0, []);
        await reader.NextResultAsync(ct);
        var scaling = Granularities.Select(_ => Array.Empty<float>()).ToArray();
        while (await reader.ReadAsync(ct))
        {
            scaling[Array.IndexOf(Granularities, reader.GetString(0))] = reader.GetFieldValue<float[]>(1);
        }
        return new SkFit(version, scaling, size, bank);
    }

    /// <summary>
    /// Stores a new fit and the biases computed under it in one transaction, and returns its version. Items not in
    /// <paramref name="biases"/> (written while the fit was computed) keep the old version: see <see cref="StaleIdsAsync"/>.
    /// </summary>
    /// <param name="scaling">[3][Q] query-side log scaling per granularity.</param>
    /// <param name="biases">[3] log bias per granularity of each item.</param>
    /// <param name="bank">The stored items that played the queries, in scaling order; none when the bank is not stored items.</param>
    public async Task<long> CommitFitAsync(SkGallery gallery, float[][] scaling, int gallerySize, IReadOnlyDictionary<Guid, float[]> biases,
        CancellationToken ct, IReadOnlyList<Guid>? bank = null)
    {
        ArgumentNullException.ThrowIfNull(scaling);
        ArgumentOutOfRangeException.ThrowIfNotEqual(scaling.Length, Granularities.Length);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var version = await CurrentVersionAsync(connection, gallery, "FOR UPDATE", ct) + 1;
        await using (var fit = new NpgsqlCommand(
            "UPDATE sk_fit SET version = @version, gallery_size = @size, bank = @bank, fitted_at = now() WHERE gallery = @gallery", connection))
        {
            fit.Parameters.AddWithValue("version", version);
            fit.Parameters.AddWithValue("bank", (bank ?? []).ToArray());
            fit.Parameters.AddWithValue("size", gallerySize);
            fit.Parameters.AddWithValue("gallery", Name(gallery));
            await fit.ExecuteNonQueryAsync(ct);
        }
        for (var l = 0; l < Granularities.Length; l++)
        {
            await using var save = new NpgsqlCommand(
                """
                INSERT INTO sk_scaling (gallery, granularity, query_scaling) VALUES (@gallery, @granularity, @scaling)
                ON CONFLICT (gallery, granularity) DO UPDATE SET query_scaling = excluded.query_scaling
                """, connection);
            save.Parameters.AddWithValue("gallery", Name(gallery));
            save.Parameters.AddWithValue("granularity", Granularities[l]);
            save.Parameters.AddWithValue("scaling", scaling[l]);
            await save.ExecuteNonQueryAsync(ct);
        }
        await WriteBiasesAsync(connection, gallery, biases, version, ct);
        await GalleryChanges.FitChangedAsync(connection, gallery, ct);
        await transaction.CommitAsync(ct);
        return version;
    }

    /// <summary>
    /// Replaces the biases of some items, provided <paramref name="fit"/> is still the gallery's current fit.
    /// </summary>
    /// <returns>False, writing nothing, when a newer fit has been committed meanwhile.</returns>
    public async Task<bool> UpdateBiasesAsync(SkGallery gallery, IReadOnlyDictionary<Guid, float[]> biases, long fit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(biases);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await IsCurrentAsync(connection, gallery, fit, ct))
        {
            return false;
        }
        await WriteBiasesAsync(connection, gallery, biases, fit, ct);
        await GalleryChanges.FitChangedAsync(connection, gallery, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>The items whose bias belongs to another fit than <paramref name="fit"/>.</summary>
    public async Task<IReadOnlyList<Guid>> StaleIdsAsync(SkGallery gallery, long fit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT id FROM {Table(gallery)} WHERE sk_fit <> @fit ORDER BY id");
        command.Parameters.AddWithValue("fit", fit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    /// <summary>
    /// Inside a writer's transaction: true when <paramref name="fit"/> is the gallery's current fit. The shared row
    /// lock holds a refit's commit back until the writer commits, so the refit's stale pass then sees its rows.
    /// </summary>
    internal static async Task<bool> IsCurrentAsync(NpgsqlConnection connection, SkGallery gallery, long fit, CancellationToken ct) =>
        await CurrentVersionAsync(connection, gallery, "FOR SHARE", ct) == fit;

    /// <summary>Inside a writer's transaction: true when every one of <paramref name="fits"/> is the gallery's current fit (see <see cref="IsCurrentAsync"/>).</summary>
    internal static async Task<bool> AreCurrentAsync(NpgsqlConnection connection, SkGallery gallery, IEnumerable<long> fits, CancellationToken ct)
    {
        foreach (var fit in fits.Distinct())
        {
            if (!await IsCurrentAsync(connection, gallery, fit, ct))
            {
                return false;
            }
        }
        return true;
    }

    private static async Task<long> CurrentVersionAsync(NpgsqlConnection connection, SkGallery gallery, string lockMode, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT version FROM sk_fit WHERE gallery = @gallery {lockMode}", connection);
        command.Parameters.AddWithValue("gallery", Name(gallery));
        return (long)(await command.ExecuteScalarAsync(ct) ?? throw new InvalidOperationException($"sk_fit has no row for {Name(gallery)}."));
    }

    /// <summary>A refit touches the whole gallery: the biases go through binary COPY into a temporary table and one UPDATE joins it.</summary>
    private static async Task WriteBiasesAsync(NpgsqlConnection connection, SkGallery gallery, IReadOnlyDictionary<Guid, float[]> biases, long fit, CancellationToken ct)
    {
        if (biases.Count == 0)
        {
            return;
        }
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
        await using var update = new NpgsqlCommand(
            $"UPDATE {Table(gallery)} t SET sk_bias = u.sk_bias, sk_fit = @fit FROM sk_bias_update u WHERE t.id = u.id", connection);
        update.Parameters.AddWithValue("fit", fit);
        await update.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlBatchCommand WithGallery(string sql, SkGallery gallery)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("gallery", Name(gallery));
        return command;
    }

    /// <summary>
    /// The gallery's refit lock, a session-level advisory lock held on a connection of its own, so that one instance
    /// at a time fits (two fits of one gallery would only waste the model worker: versioned fits keep either correct).
    /// </summary>
    /// <returns>the held lock, released on dispose; null when another session holds it</returns>
    public async Task<IAsyncDisposable?> TryLockRefitAsync(SkGallery gallery, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        var key = RefitLockKey(gallery);
        await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
        {
            command.Parameters.AddWithValue("key", key);
            if ((bool)(await command.ExecuteScalarAsync(ct))!)
            {
                return new RefitLock(connection, key);
            }
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>Advisory lock keys are one bigint namespace for the whole database: "UCoF" then the gallery.</summary>
    private static long RefitLockKey(SkGallery gallery) => 0x5543_6F46_0000_0000L + (long)gallery;

    private sealed class RefitLock(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Closing the session releases the lock too; unlocking first returns the pooled connection clean.
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection))
            {
                command.Parameters.AddWithValue("key", key);
                await command.ExecuteScalarAsync();
            }
            await connection.DisposeAsync();
        }
    }

    /// <summary>The gallery's name in sk_fit.</summary>
    private static string Name(SkGallery gallery) => gallery switch
    {
        SkGallery.Videos => "videos",
        SkGallery.Captions => "captions",
        _ => throw new ArgumentOutOfRangeException(nameof(gallery)),
    };

    /// <summary>The table whose rows carry the gallery's biases: text → video biases live on the segments.</summary>
    private static string Table(SkGallery gallery) => gallery == SkGallery.Videos ? "video_segments" : Name(gallery);

    /// <summary>Reads an sk_bias / sk_fit column pair; a NULL bias (never computed) is no bias.</summary>
    internal static SkBias ReadBias(NpgsqlDataReader reader, int biasColumn, int fitColumn) =>
        reader.IsDBNull(biasColumn)
            ? SkBias.None(reader.GetInt64(fitColumn))
            : SkBias.FromLevels(reader.GetFieldValue<float[]>(biasColumn), reader.GetInt64(fitColumn));
}
