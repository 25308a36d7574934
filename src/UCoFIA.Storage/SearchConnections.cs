using Npgsql;

namespace UCoFIA.Storage;

/// <summary>
/// Where search reads run. Without standbys, on the primary like everything else. With standbys
/// (<see cref="DataSourceFactory.CreateStandbys"/>), on one of them, unless it has not yet replayed the gallery's
/// newest write (migration 0011: a job's success, a delete, a Sinkhorn–Knopp fit): then on the primary. So a client
/// whose job has succeeded finds its video in the next search, on whichever instance serves it, and a lagging
/// standby costs only the primary its searches until it catches up.
/// </summary>
/// <remarks>
/// Each read costs two more round trips than on the primary alone: the newest write from the primary, the standby's
/// copy of it on the connection that then runs the read. The check belongs to the connection because standbys are
/// load-balanced: two reads of one search may land on two standbys that have replayed different amounts.
/// </remarks>
/// <param name="primary">The caller's: not disposed here.</param>
/// <param name="standbys">Owned: disposed with this.</param>
public sealed class SearchConnections(NpgsqlDataSource primary, NpgsqlDataSource? standbys = null) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => standbys?.DisposeAsync() ?? ValueTask.CompletedTask;

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        if (standbys is null)
        {
            return await primary.OpenConnectionAsync(ct);
        }

        long newest;
        await using (var command = primary.CreateCommand("SELECT version FROM gallery_writes"))
        {
            newest = (long)(await command.ExecuteScalarAsync(ct))!;
        }
        var connection = await standbys.OpenConnectionAsync(ct);
        if (await HasReplayedAsync(connection, newest, ct))
        {
            return connection;
        }
        await connection.DisposeAsync();
        return await primary.OpenConnectionAsync(ct);
    }

    /// <summary>A connection that fell back to the primary reads the primary's own row and passes.</summary>
    private static async Task<bool> HasReplayedAsync(NpgsqlConnection connection, long newest, CancellationToken ct)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT version >= @newest FROM gallery_writes", connection);
            command.Parameters.AddWithValue("newest", newest);
            return (bool)(await command.ExecuteScalarAsync(ct))!;
        }
        // A standby stopped since this connection was pooled: the read goes to the primary rather than failing.
        catch (NpgsqlException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
