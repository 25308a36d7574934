using System.Net;
using System.Text.Json;
using Npgsql;
using UCoFIA.Storage;
using UCoFIA.Tests.Shared;

namespace UCoFIA.Service.Tests.Reliability;

/// <summary>
/// The in-process service (<see cref="ServiceFactory"/>) with the checks every bad-input case ends with: the
/// problem body, unchanged row counts in every table, and no file left in the data directory's tmp/ and uploads/.
/// </summary>
public class ReliabilityHost : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;
    private HttpClient? _client;

    public ServiceFactory Factory { get; } = new();

    public HttpClient Client => _client ?? throw new InvalidOperationException("Not initialised.");

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>Configuration a derived fixture wants (set before the host starts).</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public async Task InitializeAsync()
    {
        await Factory.InitializeAsync();
        Configure(Factory.Settings);
        _client = Factory.CreateClient();
        // The first ready answer means migrations ran; the media is made while the host starts.
        var media = Media.AllAsync();
        await _client.WaitUntilReadyAsync();
        await media;
        _dataSource = DataSourceFactory.Create(Factory.Database.ConnectionString);
    }

    public Task<IReadOnlyDictionary<string, long>> CountsAsync() => DatabaseCounts.RowCountsAsync(DataSource, CancellationToken.None);

    public string[] LeftoverFiles() =>
        new[] { "tmp", "uploads" }
            .Select(d => Path.Combine(Factory.DataDirectory, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*", SearchOption.AllDirectories))
            .ToArray();

    /// <summary>Sends a request that must be refused: exact status and problem type, nothing stored, no file left.</summary>
    public async Task<JsonElement> AssertRejectedAsync(Func<HttpClient, Task<HttpResponseMessage>> send, HttpStatusCode status, string code)
    {
        var before = await CountsAsync();
        using var response = await send(Client);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            // Wrongly accepted: let its job finish so that this case fails alone, not the ones after it.
            var accepted = await response.Content.ReadAsStringAsync();
            await Client.WaitForJobAsync(JsonDocument.Parse(accepted).RootElement.GetProperty("jobId").GetGuid());
            Assert.Fail($"Expected {(int)status} {code}, got 202: {accepted}");
        }
        var problem = await AssertProblemAsync(response, status, code);
        Assert.Equal(before, await CountsAsync());
        Assert.Empty(LeftoverFiles());
        return problem;
    }

    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal("urn:ucofia:problem:" + code, problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return problem;
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
        NpgsqlConnection.ClearAllPools();
        await ((IAsyncLifetime)Factory).DisposeAsync();
    }
}
