using Npgsql;
using UCoFIA.Tests.Shared;

namespace UCoFIA.Storage.Tests;

/// <summary>A fresh, migrated database shared by the tests of one class.</summary>
public sealed class StorageFixture : IAsyncLifetime
{
    /// <summary>Small, so the tests stay fast; nothing in storage depends on the size.</summary>
    public const int Dim = 16;

    private TestDatabase? _database;
    private NpgsqlDataSource? _dataSource;

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("Not initialised.");

    public string ConnectionString => _database?.ConnectionString ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _dataSource = DataSourceFactory.Create(_database.ConnectionString);
        await new SchemaMigrator(_dataSource).MigrateAsync(Dim, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
