using Npgsql;
using Pgvector.Npgsql;

namespace UCoFIA.Storage;

/// <summary>Builds the <see cref="NpgsqlDataSource"/>s the process shares, with pgvector's types mapped.</summary>
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

    /// <summary>
    /// Search reads (<see cref="SearchConnections"/>) over the standbys that <paramref name="standbys"/> lists
    /// ("Host=s1:5432,s2:5432;..."), load-balanced, with the primary last: prefer-standby falls back to it when no
    /// standby answers, and a standby that stops answering is skipped until Npgsql's host recheck finds it again.
    /// </summary>
    public static NpgsqlDataSource CreateStandbys(string standbys, string primary, string? applicationName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(standbys);
        var primaryHost = new NpgsqlConnectionStringBuilder(primary);
        var builder = new NpgsqlDataSourceBuilder(standbys);
        builder.ConnectionStringBuilder.Host += $",{primaryHost.Host}:{primaryHost.Port}";
        builder.ConnectionStringBuilder.LoadBalanceHosts = true;
        builder.ConnectionStringBuilder.ApplicationName ??= applicationName;
        builder.UseVector();
        return builder.BuildMultiHost().WithTargetSession(TargetSessionAttributes.PreferStandby);
    }
}
