using Npgsql;

namespace UCoFIA.Tests.Shared;

/// <summary>Row counts of every table, so tests can assert that a failed operation changed nothing.</summary>
public static class DatabaseCounts
{
    public static async Task<IReadOnlyDictionary<string, long>> RowCountsAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        // One statement: query_to_xml runs a count per table, format('%I') quotes the names server-side.
        await using var command = dataSource.CreateCommand(
            """
            SELECT table_name::text,
                   (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text::bigint
            FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
            ORDER BY table_name
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return counts;
    }
}
