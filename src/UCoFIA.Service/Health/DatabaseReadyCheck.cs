using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace UCoFIA.Service.Health;

/// <summary>Ready when Postgres answers and the pgvector extension is installed in the service's database.</summary>
public sealed class DatabaseReadyCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
            var version = await command.ExecuteScalarAsync(cancellationToken);
            return version is string v
                ? HealthCheckResult.Healthy($"pgvector {v}")
                : HealthCheckResult.Unhealthy("The vector extension is not installed in the database.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.", e);
        }
    }
}
