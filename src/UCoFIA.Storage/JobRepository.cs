using Npgsql;
using NpgsqlTypes;

namespace UCoFIA.Storage;

/// <summary>
/// The durable ingest queue: a job row survives a crash, workers claim jobs with FOR UPDATE SKIP LOCKED,
/// and a unique partial index keeps at most one queued or running job per file.
/// </summary>
public sealed class JobRepository(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, video_id, sha256, state, progress, error, attempts, upload_path, title, captions, metadata, created_at, updated_at, probe";

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
    /// Takes the oldest queued job (queued → running, attempts + 1), or null when none is queued.
    /// SKIP LOCKED lets concurrent workers claim different jobs without waiting on each other.
    /// </summary>
    public Task<IngestJob?> ClaimNextAsync(CancellationToken ct) =>
        QueryOneAsync(
            $"""
            UPDATE ingest_jobs SET state = 'running', attempts = attempts + 1, updated_at = now()
            WHERE id = (
                SELECT id FROM ingest_jobs WHERE state = 'queued'
                ORDER BY created_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """, ct);

    /// <summary>
    /// Crash recovery at start-up: jobs left running by a dead process go back to the queue.
    /// With several hosts this must run before any host claims jobs, or it steals live work.
    /// </summary>
    public Task<int> RequeueRunningAsync(CancellationToken ct) =>
        ExecuteAsync("UPDATE ingest_jobs SET state = 'queued', updated_at = now() WHERE state = 'running'", ct);

    /// <param name="progress">0 to 1.</param>
    public Task ReportProgressAsync(Guid id, float progress, CancellationToken ct) =>
        ExecuteAsync("UPDATE ingest_jobs SET progress = @progress, updated_at = now() WHERE id = @id AND state = 'running'",
            ct, new NpgsqlParameter("id", id), new NpgsqlParameter("progress", Math.Clamp(progress, 0f, 1f)));

    public Task SucceedAsync(Guid id, CancellationToken ct) =>
        ExecuteAsync("UPDATE ingest_jobs SET state = 'succeeded', progress = 1, error = NULL, updated_at = now() WHERE id = @id",
            ct, new NpgsqlParameter("id", id));

    public Task FailAsync(Guid id, string error, CancellationToken ct) =>
        ExecuteAsync("UPDATE ingest_jobs SET state = 'failed', error = @error, updated_at = now() WHERE id = @id",
            ct, new NpgsqlParameter("id", id), new NpgsqlParameter("error", error));

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
            reader.IsDBNull(13) ? null : reader.GetString(13));
    }

    // The column holds the lower-case names that the CHECK constraint lists.
    private static JobState ParseState(string state) => Enum.Parse<JobState>(state, ignoreCase: true);
}
