using Npgsql;

namespace UCoFIA.Tests.Shared;

/// <summary>
/// A fresh database with the vector extension inside the throwaway cluster that deploy/test.sh starts,
/// dropped again on dispose, so tests never see each other's rows.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "UCOFIA_TEST_POSTGRES";

    private readonly string _adminConnectionString;

    private TestDatabase(string adminConnectionString, string name)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable)
        ?? throw new InvalidOperationException(
            $"{ServerVariable} is not set: run the tests with 'bash deploy/test.sh', which starts a throwaway PostgreSQL with pgvector.");

    public static async Task<TestDatabase> CreateAsync()
    {
        var admin = AdminConnectionString;
        var database = new TestDatabase(admin, $"ucofia_test_{Guid.NewGuid():N}");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var extension = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS vector", connection);
            await extension.ExecuteNonQueryAsync();
        }
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
