using System.Net;
using Npgsql;

namespace UCoFIA.Service.Tests;

public sealed class HostTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task HealthReady_WithDatabaseAndVector_ReturnsHealthy()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SwaggerJson_ListsEveryRoute()
    {
        using var client = factory.CreateClient();
        var document = await (await client.GetAsync("/swagger/v1/swagger.json")).JsonAsync();
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "/api/videos", "/api/videos/{id}", "/api/jobs/{id}", "/api/search/videos", "/api/search/captions", "/api/captions",
        }, paths);
    }

    [Fact]
    public async Task SwaggerJson_SearchRequestExample_IsAcceptedByTheService()
    {
        using var client = factory.CreateClient();
        var document = await (await client.GetAsync("/swagger/v1/swagger.json")).JsonAsync();
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty("VideoSearchRequest");
        var example = schema.TryGetProperty("example", out var single) ? single : schema.GetProperty("examples")[0];
        using var response = await client.PostAsync("/api/search/videos",
            new StringContent(example.GetRawText(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_PrometheusEndpoint_Answers()
    {
        using var client = factory.CreateClient();
        await client.GetAsync("/health/live");
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Startup_TwoHosts_AppliesMigrationsExactlyOnce()
    {
        using (factory.CreateClient())
        {
        }
        await using (var second = new ServiceFactory())
        {
            // A second host on the same database: its migrator must find nothing to apply.
            await ((IAsyncLifetime)second).InitializeAsync();
            second.Settings["ConnectionStrings:Postgres"] = factory.Database.ConnectionString;
            using var client = second.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        }
        await using var connection = new NpgsqlConnection(factory.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*), count(DISTINCT version) FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.True(reader.GetInt64(0) > 0);
        Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
    }
}
