using Npgsql;
using Pgvector.Npgsql;

namespace UCoFIA.Storage;

/// <summary>Builds the one <see cref="NpgsqlDataSource"/> the process shares, with pgvector's types mapped.</summary>
public static class DataSourceFactory
{
    public static NpgsqlDataSource Create(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseVector();
        return builder.Build();
    }
}
