using Npgsql;

namespace UCoFIA.Storage;

/// <summary>
/// The callbacks finished jobs owe (<c>job_callbacks</c>, queued by <see cref="JobRepository"/> in the statement that
/// ends a job). Senders claim a due delivery with a lease, like jobs, so two instances do not send it at the same time;
/// every claim counts an attempt, and the attempt number fences the claim's outcome.
/// </summary>
public sealed class CallbackRepository(NpgsqlDataSource dataSource)
{
    private readonly NpgsqlDataSource _dataSource = dataSource;

    /// <summary>
    /// Takes the oldest due delivery that no live lease holds (→ attempts + 1, leased to <paramref name="owner"/>), or
    /// null. A sender that dies mid-send loses the lease and the delivery is sent again: at least once, never lost.
    /// </summary>
    public async Task<CallbackDelivery?> ClaimNextAsync(string owner, TimeSpan lease, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            """
            UPDATE job_callbacks SET attempts = attempts + 1, owner = @owner, lease_until = now() + @lease
            WHERE id = (
                SELECT id FROM job_callbacks
                WHERE state = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                ORDER BY next_attempt_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING id, job_id, url, body, attempts
            """);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("lease", lease);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new CallbackDelivery(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4))
            : null;
    }

    /// <summary>The receiver answered 2xx.</summary>
    public Task DeliveredAsync(CallbackDelivery delivery, CancellationToken ct) =>
        ExecuteAsync("state = 'delivered', delivered_at = now(), last_error = NULL", delivery, ct);

    /// <summary>The attempt failed: try again after <paramref name="retryAfter"/>, or give up when it is null.</summary>
    public Task AttemptFailedAsync(CallbackDelivery delivery, string error, TimeSpan? retryAfter, CancellationToken ct) => retryAfter is { } delay
        ? ExecuteAsync("next_attempt_at = now() + @retry, last_error = @error", delivery, ct, new NpgsqlParameter("error", error), new NpgsqlParameter("retry", delay))
        : ExecuteAsync("state = 'abandoned', last_error = @error", delivery, ct, new NpgsqlParameter("error", error));

    private async Task ExecuteAsync(string assignments, CallbackDelivery delivery, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        // A claim whose lease ran out and was taken again records nothing: the newer attempt owns the outcome.
        await using var command = _dataSource.CreateCommand(
            $"UPDATE job_callbacks SET {assignments}, owner = NULL, lease_until = NULL WHERE id = @id AND attempts = @attempts AND state = 'pending'");
        command.Parameters.AddWithValue("id", delivery.Id);
        command.Parameters.AddWithValue("attempts", delivery.Attempts);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(ct);
    }
}
