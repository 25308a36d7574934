using Npgsql;
using Pgvector.Npgsql;

namespace UCoFIA.Storage;

/// <summary>Builds the one <see cref="NpgsqlDataSource"/> the process shares, with pgvector's types mapped.</summary>
public static class DataSourceFactory
{
    /// <summary>What a service's connections are called in pg_stat_activity, so that <c>ucofia reindex</c> can tell one is running.</summary>
    public const string ServiceApplicationName = "ucofia-service";

    /// <param name="applicationName">The connections' application_name, unless the connection string names one.</param>
    public static NpgsqlDataSource Create(string connectionString, string? applicationName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= applicationName;
        builder.UseVector();
        return builder.Build();
    }
}
