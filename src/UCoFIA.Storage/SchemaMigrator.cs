using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace UCoFIA.Storage;

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> files in version order, each in its own transaction,
/// and records them in <c>schema_migrations</c>. Every transaction first takes one advisory lock, so hosts
/// that start together apply each migration exactly once.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource)
{
    /// <summary>HNSW on halfvec indexes at most 4,000 dimensions.</summary>
    public const int MaxEmbeddingDim = 4000;

    private const string DimPlaceholder = "{{dim}}";

    // Arbitrary but fixed: every host must agree on the key ("UCoFIA" in ASCII).
    private const long AdvisoryLockKey = 0x5543_6F46_4941;

    private readonly NpgsqlDataSource _dataSource = dataSource;

    /// <summary>The embedded migrations, ordered by version.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } = LoadMigrations();

    /// <returns>How many migrations this call applied (0 when the schema was already current).</returns>
    /// <exception cref="InvalidOperationException">The database was created for another embedding dimension.</exception>
    public async Task<int> MigrateAsync(int embeddingDim, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingDim, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(embeddingDim, MaxEmbeddingDim);

        var applied = 0;
        await using (var connection = await _dataSource.OpenConnectionAsync(ct))
        {
            while (await ApplyNextAsync(connection, embeddingDim, ct))
            {
                applied++;
            }
        }
        if (applied > 0)
        {
            // The first migration may have just created the vector extension; the data source maps its types
            // only when it loads them, so load them again for the connections opened from now on.
            await _dataSource.ReloadTypesAsync(ct);
        }
        return applied;
    }

    /// <summary>Applies the lowest pending migration in one locked transaction; false when none is pending.</summary>
    private static async Task<bool> ApplyNextAsync(NpgsqlConnection connection, int embeddingDim, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@key)", ct, new NpgsqlParameter("key", AdvisoryLockKey));
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, ct);

        var appliedVersions = await AppliedVersionsAsync(connection, ct);
        if (appliedVersions.Count > 0)
        {
            await EnsureDimensionAsync(connection, embeddingDim, ct);
        }

        var next = Migrations.FirstOrDefault(m => !appliedVersions.Contains(m.Version));
        if (next is null)
        {
            await transaction.CommitAsync(ct);
            return false;
        }

        await ExecuteAsync(connection, next.Sql.Replace(DimPlaceholder, embeddingDim.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), ct);
        await ExecuteAsync(connection, "INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", ct,
            new NpgsqlParameter("version", next.Version), new NpgsqlParameter("name", next.Name));
        await transaction.CommitAsync(ct);
        return true;
    }

    private static async Task<HashSet<int>> AppliedVersionsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(ct))
        {
            versions.Add(reader.GetInt32(0));
        }
        return versions;
    }

    private static async Task EnsureDimensionAsync(NpgsqlConnection connection, int embeddingDim, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT value FROM schema_settings WHERE key = 'embedding_dim'", connection);
        var stored = await command.ExecuteScalarAsync(ct) as string;
        if (stored != embeddingDim.ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException(
                $"The database '{connection.Database}' was created for embedding dimension {stored ?? "(unknown)"}, " +
                $"but the model produces {embeddingDim}. Use a fresh database for this model, or the model the database was built with.");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static List<Migration> LoadMigrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = MigrationName().Match(resource);
            if (!match.Success)
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two migrations share version {migrations[i].Version}.");
            }
        }
        return migrations;
    }

    // Embedded resource names look like "UCoFIA.Storage.Migrations.0001_initial.sql".
    [GeneratedRegex(@"\.Migrations\.(?<version>\d+)_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();

    public sealed record Migration(int Version, string Name, string Sql);
}
