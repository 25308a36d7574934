using Npgsql;
using UCoFIA.Tests.Shared;

namespace UCoFIA.Storage.Tests;

public sealed class SchemaMigratorTests : IAsyncLifetime
{
    private TestDatabase? _database;
    private NpgsqlDataSource? _dataSource;

    private NpgsqlDataSource DataSource => _dataSource!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _dataSource = DataSourceFactory.Create(_database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _dataSource!.DisposeAsync();
        await _database!.DisposeAsync();
    }

    [Fact]
    public async Task MigrateAsync_Twice_AppliesEveryMigrationOnceThenNothing()
    {
        var migrator = new SchemaMigrator(DataSource);

        var first = await migrator.MigrateAsync(StorageFixture.Dim, CancellationToken.None);
        var second = await migrator.MigrateAsync(StorageFixture.Dim, CancellationToken.None);

        Assert.Equal(SchemaMigrator.Migrations.Count, first);
        Assert.Equal(0, second);
        await using var command = DataSource.CreateCommand("SELECT version FROM schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }
        Assert.Equal(SchemaMigrator.Migrations.Select(m => m.Version), versions);
    }

    [Fact]
    public async Task MigrateAsync_ConcurrentHosts_ApplyEachMigrationOnce()
    {
        // Separate data sources stand in for separate hosts.
        var sources = Enumerable.Range(0, 4).Select(_ => DataSourceFactory.Create(_database!.ConnectionString)).ToList();
        try
        {
            var applied = await Task.WhenAll(sources.Select(s => new SchemaMigrator(s).MigrateAsync(StorageFixture.Dim, CancellationToken.None)));

            Assert.Equal(SchemaMigrator.Migrations.Count, applied.Sum());
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task MigrateAsync_OtherEmbeddingDim_FailsNamingBothDims()
    {
        var migrator = new SchemaMigrator(DataSource);
        await migrator.MigrateAsync(StorageFixture.Dim, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync(StorageFixture.Dim * 2, CancellationToken.None));

        Assert.Contains($"embedding dimension {StorageFixture.Dim}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"produces {StorageFixture.Dim * 2}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_FreshDatabase_SubstitutesDimIntoVectorColumns()
    {
        await new SchemaMigrator(DataSource).MigrateAsync(StorageFixture.Dim, CancellationToken.None);

        await using var command = DataSource.CreateCommand(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'video_frames'::regclass AND attname = 'embedding'");
        Assert.Equal($"halfvec({StorageFixture.Dim})", await command.ExecuteScalarAsync());
    }
    [Fact]
    public async Task MigrateAsync_ExtensionCreatedAfterTypesLoaded_RepositoriesStillMapHalfvec()
    {
        await using (var drop = DataSource.CreateCommand("DROP EXTENSION vector"))
        {
            await drop.ExecuteNonQueryAsync();
        }
        // Opening a connection loads the data source's types while halfvec does not exist yet.
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
        }

        await new SchemaMigrator(DataSource).MigrateAsync(StorageFixture.Dim, CancellationToken.None);
        var video = Features.Record();
        await new VideoRepository(DataSource).InsertAsync(video, Features.Segments(Features.Video(new Random(1)), video.Id), CancellationToken.None);

        Assert.Single(await new FeatureRepository(DataSource).LoadSegmentsAsync([video.Id], CancellationToken.None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(SchemaMigrator.MaxEmbeddingDim + 1)]
    public async Task MigrateAsync_DimOutOfRange_ThrowsBeforeTouchingTheDatabase(int embeddingDim)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new SchemaMigrator(DataSource).MigrateAsync(embeddingDim, CancellationToken.None));

        await using var command = DataSource.CreateCommand("SELECT to_regclass('schema_migrations') IS NULL");
        Assert.Equal(true, await command.ExecuteScalarAsync());
    }
}
