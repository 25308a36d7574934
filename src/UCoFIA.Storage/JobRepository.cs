using Npgsql;
using NpgsqlTypes;

namespace UCoFIA.Storage;

/// <summary>
/// The durable ingest queue: a job row survives a crash, workers claim jobs with FOR UPDATE SKIP LOCKED,
/// and a unique partial index keeps at most one queued or running job per file. Claims are leases with an epoch
/// (migration 0008): an instance takes over only an expired lease, and every write of results is fenced by the
/// epoch, so several instances can share the table and a stale owner's writes are refused.
/// </summary>
public sealed class JobRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, video_id, sha256, state, progress, error, attempts, upload_path, title, captions, metadata, created_at, updated_at, probe, epoch";

    private readonly NpgsqlDataSource _dataSource = dataSource;

    /// <summary>
    /// Queues the job, or returns the live (queued or running) job for the same sha256 with <c>Created</c> false,
    /// so two concurrent uploads of one file share a job.
    /// </summary>
    public async Task<(IngestJob Job, bool Created)> CreateOrGetActiveAsync(NewIngestJob job, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(job);
        // The live job may finish between the failed insert and the look-up; then the insert succeeds next time.
        while (true)
        {
            await using (var insert = _dataSource.CreateCommand(
                $"""
                INSERT INTO ingest_jobs (id, video_id, sha256, upload_path, title, captions, metadata, probe)
                VALUES (@id, @video, @sha256, @path, @title, @captions, @metadata, @probe)
                ON CONFLICT (sha256) WHERE state IN ('queued', 'running') DO NOTHING
                RETURNING {Columns}
                """))
            {
                insert.Parameters.AddWithValue("id", job.Id);
                insert.Parameters.AddWithValue("video", job.VideoId);
                insert.Parameters.AddWithValue("sha256", job.Sha256);
                insert.Parameters.AddWithValue("path", job.UploadPath);
                insert.Parameters.AddWithValue("title", (object?)job.Title ?? DBNull.Value);
                insert.Parameters.AddWithValue("captions", job.Captions.ToArray());
                insert.Parameters.AddWithValue("metadata", NpgsqlDbType.Jsonb, job.MetadataJson);
                insert.Parameters.AddWithValue("probe", NpgsqlDbType.Jsonb, (object?)job.ProbeJson ?? DBNull.Value);
                var created = await ReadOneAsync(insert, ct);
                if (created is not null)
                {
                    return (created, true);
                }
            }
            var active = await FindActiveBySha256Async(job.Sha256, ct);
            if (active is not null)
            {
                return (active, false);
            }
        }
    }

    /// <summary>Same as <see cref="CreateOrGetActiveAsync"/>, for callers that do not care which.</summary>
    public async Task<IngestJob> CreateAsync(NewIngestJob job, CancellationToken ct) =>
        (await CreateOrGetActiveAsync(job, ct)).Job;

    public Task<IngestJob?> GetAsync(Guid id, CancellationToken ct) =>
        QueryOneAsync($"SELECT {Columns} FROM ingest_jobs WHERE id = @id", ct, new NpgsqlParameter("id", id));

    public Task<IngestJob?> FindActiveBySha256Async(string sha256, CancellationToken ct) =>
        QueryOneAsync($"SELECT {Columns} FROM ingest_jobs WHERE sha256 = @sha256 AND state IN ('queued', 'running')",
            ct, new NpgsqlParameter("sha256", sha256));

    /// <summary>
    /// Takes the oldest job that is queued or whose owner's lease has expired (→ running under
    /// <paramref name="owner"/>, attempts + 1, epoch + 1), or null when there is none. SKIP LOCKED lets concurrent
    /// workers claim different jobs without waiting on each other. A takeover counts as an attempt, so a job that
    /// kills every instance that runs it stops at Ingest:MaxAttempts.
    /// </summary>
    public Task<IngestJob?> ClaimNextAsync(string owner, TimeSpan lease, CancellationToken ct) =>
        QueryOneAsync(
            $"""
            UPDATE ingest_jobs SET state = 'running', attempts = attempts + 1, owner = @owner,
                lease_until = now() + @lease, epoch = epoch + 1, updated_at = now()
            WHERE id = (
                SELECT id FROM ingest_jobs
                WHERE state = 'queued' OR (state = 'running' AND lease_until < now())
                ORDER BY created_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """, ct, new NpgsqlParameter("owner", owner), new NpgsqlParameter("lease", lease));

    /// <returns>false when the claim is no longer the job's (taken over, or finished): stop working on it</returns>
    public async Task<bool> RenewLeaseAsync(JobFence fence, TimeSpan lease, CancellationToken ct) =>
        await ExecuteAsync("UPDATE ingest_jobs SET lease_until = now() + @lease WHERE id = @id AND epoch = @epoch AND state = 'running'",
            ct, Fenced(fence, new NpgsqlParameter("lease", lease))) > 0;

    /// <summary>Hands a claimed job back to the queue (an instance shutting down), so any instance takes it at once.</summary>
    public Task ReleaseAsync(JobFence fence, CancellationToken ct) =>
        ExecuteAsync("UPDATE ingest_jobs SET state = 'queued', owner = NULL, lease_until = NULL, updated_at = now() WHERE id = @id AND epoch = @epoch AND state = 'running'",
            ct, Fenced(fence));

    /// <param name="progress">0 to 1.</param>
    /// <exception cref="JobLeaseLostException">The claim is no longer the job's.</exception>
    public Task ReportProgressAsync(JobFence fence, float progress, CancellationToken ct) =>
        ExecuteFencedAsync("UPDATE ingest_jobs SET progress = @progress, updated_at = now() WHERE id = @id AND epoch = @epoch AND state = 'running'",
            fence, ct, new NpgsqlParameter("progress", Math.Clamp(progress, 0f, 1f)));

    /// <exception cref="JobLeaseLostException">The claim is no longer the job's.</exception>
    public Task SucceedAsync(JobFence fence, CancellationToken ct) =>
        ExecuteFencedAsync("UPDATE ingest_jobs SET state = 'succeeded', progress = 1, error = NULL, updated_at = now() WHERE id = @id AND epoch = @epoch",
            fence, ct);

    /// <exception cref="JobLeaseLostException">The claim is no longer the job's.</exception>
    public Task FailAsync(JobFence fence, string error, CancellationToken ct) =>
        ExecuteFencedAsync("UPDATE ingest_jobs SET state = 'failed', error = @error, updated_at = now() WHERE id = @id AND epoch = @epoch",
            fence, ct, new NpgsqlParameter("error", error));

    /// <summary>
    /// Inside a transaction that commits a job's results: locks the job row until the commit, so no takeover can
    /// slip in between, and throws unless the claim still holds.
    /// </summary>
    /// <exception cref="JobLeaseLostException">The job was taken over: roll back.</exception>
    internal static async Task EnsureHeldAsync(NpgsqlConnection connection, JobFence fence, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT epoch FROM ingest_jobs WHERE id = @id FOR UPDATE", connection);
        command.Parameters.AddWithValue("id", fence.JobId);
        if (await command.ExecuteScalarAsync(ct) is not long epoch || epoch != fence.Epoch)
        {
            throw new JobLeaseLostException(fence);
        }
    }

    /// <summary>Every state, with 0 for states that have no jobs.</summary>
    public async Task<IReadOnlyDictionary<JobState, long>> CountByStateAsync(CancellationToken ct)
    {
        var counts = Enum.GetValues<JobState>().ToDictionary(state => state, _ => 0L);
        await using var command = _dataSource.CreateCommand("SELECT state, count(*) FROM ingest_jobs GROUP BY state");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts[ParseState(reader.GetString(0))] = reader.GetInt64(1);
        }
        return counts;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private async Task ExecuteFencedAsync(string sql, JobFence fence, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        if (await ExecuteAsync(sql, ct, Fenced(fence, parameters)) == 0)
        {
            throw new JobLeaseLostException(fence);
        }
    }

    private static NpgsqlParameter[] Fenced(JobFence fence, params NpgsqlParameter[] parameters) =>
        [new NpgsqlParameter("id", fence.JobId), new NpgsqlParameter("epoch", fence.Epoch), .. parameters];

    private async Task<IngestJob?> QueryOneAsync(string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        return await ReadOneAsync(command, ct);
    }

    private static async Task<IngestJob?> ReadOneAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        return new IngestJob(
            reader.GetGuid(0),
            reader.GetGuid(1),
            reader.GetString(2),
            ParseState(reader.GetString(3)),
            reader.GetFloat(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.GetInt32(6),
            reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.GetFieldValue<string[]>(9),
            reader.GetString(10),
            reader.GetFieldValue<DateTimeOffset>(11),
            reader.GetFieldValue<DateTimeOffset>(12),
            reader.IsDBNull(13) ? null : reader.GetString(13),
            reader.GetInt64(14));
    }

    // The column holds the lower-case names that the CHECK constraint lists.
    private static JobState ParseState(string state) => Enum.Parse<JobState>(state, ignoreCase: true);
}
