using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Npgsql;
using UCoFIA.Service.Extensions;
using UCoFIA.Service.Ingestion;
using UCoFIA.Storage;

namespace UCoFIA.Service.Tests.Features;

/// <summary>
/// One reindex test's gallery: a fresh database and tiny model (<see cref="ServiceFactory"/>), services started and
/// stopped on it as an operator would, and reindex runs over it with the service's own settings.
/// </summary>
public sealed class ReindexGallery : IAsyncLifetime
{
    private readonly ServiceFactory _factory = new();
    private NpgsqlDataSource? _dataSource;

    public ServiceFactory Factory => _factory;

    /// <summary>For the test's own reads; its connections are not a service's.</summary>
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("Not initialised.");

    public string OriginalPath(Guid videoId) => Path.Combine(_factory.DataDirectory, "originals", $"{videoId:N}.video");

    /// <summary>A second tiny model of the same sizes (other weights, so another fingerprint), written beside the first.</summary>
    public string WriteOtherModel()
    {
        var folder = Path.Combine(Path.GetDirectoryName(_factory.ModelPath)!, "model-2");
        TinyCheckpoint.Write(folder, seed: 8);
        return folder;
    }

    /// <summary>A service on the gallery, with these settings over the factory's; dispose it to stop it.</summary>
    public WebApplicationFactory<Program> Service(IReadOnlyDictionary<string, string?>? settings = null) =>
        _factory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(settings ?? new Dictionary<string, string?>())));

    /// <summary>Starts a service, uploads the videos one after the other, stops it; returns the video ids in upload order.</summary>
    public async Task<IReadOnlyList<Guid>> IngestAsync(IReadOnlyList<byte[]> videos, IReadOnlyDictionary<string, string?>? settings = null, IReadOnlyList<string>? captions = null)
    {
        await using var service = Service(settings);
        using var client = service.CreateClient();
        var ids = new List<Guid>();
        foreach (var video in videos)
        {
            var job = await client.IngestAsync(video, $"clip {ids.Count}", captions?.Select(c => $"{c} {ids.Count}"));
            Assert.Equal("succeeded", job.GetProperty("state").GetString());
            ids.Add(job.GetProperty("videoId").GetGuid());
        }
        return ids;
    }

    /// <summary>What <c>ucofia reindex</c> passes for its options: the service's database, model and data folder, and <paramref name="settings"/> over them.</summary>
    public Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _factory.Database.ConnectionString,
            ["Model:Path"] = _factory.ModelPath,
            ["Model:Device"] = "cpu",
            ["Storage:DataDirectory"] = _factory.DataDirectory,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return all;
    }

    public Task<ReindexReport> ReindexAsync(IReadOnlyDictionary<string, string?>? settings = null, ReindexRequest? request = null,
        Action<ReindexProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ReindexHost.RunAsync(Settings(settings), request ?? new ReindexRequest(), progress ?? (_ => { }), cancellationToken);

    /// <summary>A reindex stopped right after its first video committed, as Ctrl-C would.</summary>
    public async Task InterruptAfterFirstVideoAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReindexAsync(settings, progress: p =>
        {
            if (p.Stage == "videos" && p.Done == 1)
            {
                stop.Cancel();
            }
        }, cancellationToken: stop.Token));
    }

    /// <summary>Per video: its segment ids in index order.</summary>
    public async Task<Dictionary<Guid, List<Guid>>> SegmentIdsAsync()
    {
        await using var command = DataSource.CreateCommand("SELECT video_id, id FROM video_segments ORDER BY video_id, idx");
        await using var reader = await command.ExecuteReaderAsync();
        var segments = new Dictionary<Guid, List<Guid>>();
        while (await reader.ReadAsync())
        {
            if (!segments.TryGetValue(reader.GetGuid(0), out var list))
            {
                segments[reader.GetGuid(0)] = list = [];
            }
            list.Add(reader.GetGuid(1));
        }
        return segments;
    }

    /// <summary>One number from the database.</summary>
    public async Task<T> ScalarAsync<T>(string sql, Guid? id = null)
    {
        await using var command = DataSource.CreateCommand(sql);
        if (id is { } value)
        {
            command.Parameters.AddWithValue("id", value);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task InitializeAsync()
    {
        await _factory.InitializeAsync();
        _dataSource = DataSourceFactory.Create(_factory.Database.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
        await ((IAsyncLifetime)_factory).DisposeAsync();
    }
}
