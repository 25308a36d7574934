using Npgsql;

namespace UCoFIA.Storage;

/// <summary>The online Sinkhorn–Knopp text-side scaling, one row per granularity.</summary>
public sealed class SkStateRepository(NpgsqlDataSource dataSource)
{
    private readonly NpgsqlDataSource _dataSource = dataSource;

    public async Task<SkState?> GetAsync(string granularity, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            "SELECT granularity, query_scaling, gallery_size, fitted_at FROM sk_state WHERE granularity = @granularity");
        command.Parameters.AddWithValue("granularity", granularity);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new SkState(reader.GetString(0), reader.GetFieldValue<float[]>(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3))
            : null;
    }

    /// <returns>Null when the granularity has never been fitted.</returns>
    public async Task<float[]?> GetQueryScalingAsync(string granularity, CancellationToken ct) =>
        (await GetAsync(granularity, ct))?.QueryScaling;

    /// <summary>Replaces the granularity's scaling, stamping it with the gallery size it was fitted on.</summary>
    public async Task SaveAsync(string granularity, float[] scaling, int gallerySize, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(granularity);
        ArgumentNullException.ThrowIfNull(scaling);
        await using var command = _dataSource.CreateCommand(
            """
            INSERT INTO sk_state (granularity, query_scaling, gallery_size, fitted_at) VALUES (@granularity, @scaling, @size, now())
            ON CONFLICT (granularity) DO UPDATE
            SET query_scaling = excluded.query_scaling, gallery_size = excluded.gallery_size, fitted_at = excluded.fitted_at
            """);
        command.Parameters.AddWithValue("granularity", granularity);
        command.Parameters.AddWithValue("scaling", scaling);
        command.Parameters.AddWithValue("size", gallerySize);
        await command.ExecuteNonQueryAsync(ct);
    }
}
