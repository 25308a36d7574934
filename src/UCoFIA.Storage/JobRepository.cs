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
        "id, video_id, sha256, state, progress, error, attempts, upload_path, title, captions, metadata, created_at, updated_at, probe, epoch, "
        + "cancel_requested, upload_kept_until, callback_url";

    /// <summary>
    /// The fields of a job that leave the service when it ends, named as GET /api/jobs/{id} names them. Built in the
    /// statement that ends the job, so the delivery row exists exactly when the final state does.
    /// </summary>
    private const string CallbackBody =
        """
        json_build_object('deliveryId', delivery.id, 'job', json_build_object(
            'id', done.id, 'state', done.state, 'videoId', done.video_id, 'error', done.error, 'attempts', done.attempts,
            'createdAt', done.created_at, 'updatedAt', done.updated_at))::text
        """;

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
                INSERT INTO ingest_jobs (id, video_id, sha256, upload_path, title, captions, metadata, probe, callback_url)
                VALUES (@id, @video, @sha256, @path, @title, @captions, @metadata, @probe, @callback)
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
                insert.Parameters.AddWithValue("callback", (object?)job.CallbackUrl ?? DBNull.Value);
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

    /// <summary>One page of jobs, newest first, of one state or all, with the total they count.</summary>
    public async Task<(IReadOnlyList<IngestJob> Items, long Total)> ListAsync(JobState? state, int page, int pageSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 1000);

        // One round trip: the page and the total.
        const string Where = "WHERE @state::text IS NULL OR state = @state";
        await using var batch = _dataSource.CreateBatch();
        var list = new NpgsqlBatchCommand($"SELECT {Columns} FROM ingest_jobs {Where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset");
        list.Parameters.Add(StateParameter(state));
        list.Parameters.AddWithValue("limit", pageSize);
        list.Parameters.AddWithValue("offset", (long)(page - 1) * pageSize);
        batch.BatchCommands.Add(list);
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM ingest_jobs {Where}");
        count.Parameters.Add(StateParameter(state));
        batch.BatchCommands.Add(count);

        await using var reader = await batch.ExecuteReaderAsync(ct);
        var items = new List<IngestJob>();
        while (await reader.ReadAsync(ct))
        {
            items.Add(ReadJob(reader));
        }
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        return (items, reader.GetInt64(0));
    }

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
    /// <returns>Whether a cancel of the job has been requested: the owner's cue to stop.</returns>
    /// <exception cref="JobLeaseLostException">The claim is no longer the job's.</exception>
    public async Task<bool> ReportProgressAsync(JobFence fence, float progress, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            "UPDATE ingest_jobs SET progress = @progress, updated_at = now() WHERE id = @id AND epoch = @epoch AND state = 'running' RETURNING cancel_requested");
        command.Parameters.AddRange(Fenced(fence, new NpgsqlParameter("progress", Math.Clamp(progress, 0f, 1f))));
        return await command.ExecuteScalarAsync(ct) is bool requested ? requested : throw new JobLeaseLostException(fence);
    }

    /// <exception cref="JobLeaseLostException">The claim is no longer the job's.</exception>
    public Task SucceedAsync(JobFence fence, CancellationToken ct) =>
        EndFencedAsync("state = 'succeeded', progress = 1, error = NULL", fence, ct);

    /// <param name="keepUpload">How long the upload stays for a retry; null when it is removed at once.</param>
    /// <exception cref="JobLeaseLostException">The claim is no longer the job's.</exception>
    public Task FailAsync(JobFence fence, string error, TimeSpan? keepUpload, CancellationToken ct) =>
        EndFencedAsync("state = 'failed', error = @error, upload_kept_until = now() + @keep", fence, ct,
            new NpgsqlParameter("error", error), KeepParameter(keepUpload));

    /// <summary>The owner of a job whose cancel was requested stopped before storing anything.</summary>
    /// <param name="keepUpload">How long the upload stays for a retry; null when it is removed at once.</param>
    /// <exception cref="JobLeaseLostException">The claim is no longer the job's.</exception>
    public Task EndCanceledAsync(JobFence fence, TimeSpan? keepUpload, CancellationToken ct) =>
        EndFencedAsync("state = 'canceled', cancel_requested = false, upload_kept_until = now() + @keep", fence, ct, KeepParameter(keepUpload));

    /// <summary>
    /// Cancels a queued job at once, and a running one whose owner's lease ran out (its owner is gone); both bump the
    /// epoch, so a stale owner's writes are refused. A running job under a live lease is marked for its owner to stop.
    /// </summary>
    /// <param name="keepUpload">How long the upload of a job canceled now stays for a retry; null when the caller removes it.</param>
    /// <returns>null when there is no such job; else the outcome and the job after it.</returns>
    public async Task<(CancelOutcome Outcome, IngestJob Job)?> CancelAsync(Guid id, TimeSpan? keepUpload, CancellationToken ct)
    {
        // Each step re-checks the state it acts on, so a job that moves on between them is found by the next one.
        var canceled = await QueryOneAsync(Ending(
            """
            UPDATE ingest_jobs SET state = 'canceled', cancel_requested = false, upload_kept_until = now() + @keep,
                owner = NULL, lease_until = NULL, epoch = epoch + 1, updated_at = now()
            WHERE id = @id AND (state = 'queued' OR (state = 'running' AND lease_until < now()))
            """), ct, new NpgsqlParameter("id", id), KeepParameter(keepUpload));
        if (canceled is not null)
        {
            return (CancelOutcome.Canceled, canceled);
        }
        var requested = await QueryOneAsync(
            $"UPDATE ingest_jobs SET cancel_requested = true, updated_at = now() WHERE id = @id AND state = 'running' RETURNING {Columns}",
            ct, new NpgsqlParameter("id", id));
        if (requested is not null)
        {
            return (CancelOutcome.Requested, requested);
        }
        return await GetAsync(id, ct) is { } ended ? (CancelOutcome.AlreadyEnded, ended) : null;
    }

    /// <summary>
    /// Puts a failed or canceled job back in the queue with its kept upload: attempts start again from 0 and the epoch
    /// is bumped, so nothing written under an earlier claim can land on the new run.
    /// </summary>
    /// <returns>null when there is no such job; else the outcome and the job after it.</returns>
    public async Task<(RetryOutcome Outcome, IngestJob Job)?> RetryAsync(Guid id, CancellationToken ct)
    {
        try
        {
            var requeued = await QueryOneAsync(
                $"""
                UPDATE ingest_jobs SET state = 'queued', progress = 0, error = NULL, attempts = 0, cancel_requested = false,
                    upload_kept_until = NULL, owner = NULL, lease_until = NULL, epoch = epoch + 1, updated_at = now()
                WHERE id = @id AND state IN ('failed', 'canceled') AND upload_kept_until > now()
                    AND NOT EXISTS (SELECT 1 FROM videos v WHERE v.sha256 = ingest_jobs.sha256 AND v.id <> ingest_jobs.video_id)
                RETURNING {Columns}
                """, ct, new NpgsqlParameter("id", id));
            if (requeued is not null)
            {
                return (RetryOutcome.Requeued, requeued);
            }
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ingest_jobs_active_sha256" })
        {
            return await GetAsync(id, ct) is { } job ? (RetryOutcome.FileBusy, job) : null;
        }
        if (await GetAsync(id, ct) is not { } current)
        {
            return null;
        }
        return (current.State switch
        {
            JobState.Queued or JobState.Running => RetryOutcome.NotEnded,
            JobState.Succeeded => RetryOutcome.AlreadySucceeded,
            _ when current.UploadKeptUntil is null || current.UploadKeptUntil <= DateTimeOffset.UtcNow => RetryOutcome.UploadGone,
            _ => RetryOutcome.StoredAsOtherVideo,
        }, current);
    }

    /// <summary>
    /// Takes the uploads of ended jobs whose keeping time is over: each row is handed to exactly one caller, who
    /// removes the files; a retry cannot take the job once this has run.
    /// </summary>
    /// <returns>The paths of the upload files to remove.</returns>
    public async Task<IReadOnlyList<string>> TakeExpiredUploadsAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(
            "UPDATE ingest_jobs SET upload_kept_until = NULL WHERE state IN ('failed', 'canceled') AND upload_kept_until <= now() RETURNING upload_path");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var paths = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            paths.Add(reader.GetString(0));
        }
        return paths;
    }

    /// <summary>
    /// Inside a transaction that commits a job's results: locks the job row until the commit, so no takeover can
    /// slip in between, and throws unless the claim still holds.
    /// </summary>
    /// <exception cref="JobLeaseLostException">The job was taken over: roll back.</exception>
    /// <exception cref="JobCanceledException">A cancel was requested: roll back.</exception>
    internal static async Task EnsureHeldAsync(NpgsqlConnection connection, JobFence fence, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT epoch, cancel_requested FROM ingest_jobs WHERE id = @id FOR UPDATE", connection);
        command.Parameters.AddWithValue("id", fence.JobId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || reader.GetInt64(0) != fence.Epoch)
        {
            throw new JobLeaseLostException(fence);
        }
        // Checked under the same lock: a cancel either lands before this (nothing is stored) or waits for the commit.
        if (reader.GetBoolean(1))
        {
            throw new JobCanceledException(fence);
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

    /// <summary>Ends a claimed job with these assignments, fenced by the claim, and queues its callback.</summary>
    private async Task EndFencedAsync(string assignments, JobFence fence, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        var sql = Ending($"UPDATE ingest_jobs SET {assignments}, updated_at = now() WHERE id = @id AND epoch = @epoch");
        if (await QueryOneAsync(sql, ct, Fenced(fence, parameters)) is null)
        {
            throw new JobLeaseLostException(fence);
        }
    }

    /// <summary>
    /// Wraps an UPDATE that ends jobs: the same statement queues the callback of each job that has a callback URL,
    /// so no crash can end a job without its callback, and returns the jobs as they are now.
    /// </summary>
    private static string Ending(string update) =>
        $"""
        WITH done AS ({update} RETURNING {Columns}),
        callback AS (
            INSERT INTO job_callbacks (id, job_id, url, body)
            SELECT delivery.id, done.id, done.callback_url, {CallbackBody}
            FROM done CROSS JOIN LATERAL (SELECT gen_random_uuid() AS id) delivery
            WHERE done.callback_url IS NOT NULL)
        SELECT {Columns} FROM done
        """;

    private static NpgsqlParameter KeepParameter(TimeSpan? keep) =>
        new("keep", NpgsqlDbType.Interval) { Value = keep is { } span ? span : DBNull.Value };

    private static NpgsqlParameter StateParameter(JobState? state) =>
        new("state", NpgsqlDbType.Text) { Value = state is { } s ? s.ToString().ToLowerInvariant() : DBNull.Value };

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
        return await reader.ReadAsync(ct) ? ReadJob(reader) : null;
    }

    private static IngestJob ReadJob(NpgsqlDataReader reader) =>
        new(
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
            reader.GetInt64(14),
            reader.GetBoolean(15),
            reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16),
            reader.IsDBNull(17) ? null : reader.GetString(17));

    // The column holds the lower-case names that the CHECK constraint lists.
    private static JobState ParseState(string state) => Enum.Parse<JobState>(state, ignoreCase: true);
}
