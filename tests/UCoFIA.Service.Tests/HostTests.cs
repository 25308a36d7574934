using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using UCoFIA.Model;
using UCoFIA.Service.Health;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Options;

namespace UCoFIA.Service.Tests;

public sealed class HostTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task HealthReady_DatabaseUpAndModelLoaded_ReportsWhichModel()
    {
        using var client = factory.CreateClient();

        var ready = await client.WaitUntilReadyAsync();

        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        var checks = ready.GetProperty("checks");
        Assert.StartsWith("pgvector", checks.GetProperty("postgres").GetProperty("description").GetString());
        var model = checks.GetProperty("model");
        Assert.Equal("Healthy", model.GetProperty("status").GetString());
        Assert.Equal(ModelFingerprint.Of(factory.ModelPath), model.GetProperty("data").GetProperty("fingerprint").GetString());
        Assert.Equal(Path.GetFullPath(factory.ModelPath), model.GetProperty("data").GetProperty("path").GetString());
        Assert.Equal("cpu", model.GetProperty("data").GetProperty("device").GetString());
    }

    [Fact]
    public async Task ModelReadyCheck_WorkerNotStarted_IsUnhealthyUntilTheModelIsLoaded()
    {
        using var worker = new ModelWorker(Microsoft.Extensions.Options.Options.Create(new ModelOptions { Path = factory.ModelPath, Device = "cpu" }), NullLogger<ModelWorker>.Instance);
        var check = new ModelReadyCheck(worker);

        var before = await check.CheckHealthAsync(new HealthCheckContext());
        await worker.StartAsync(CancellationToken.None);
        await worker.Model;
        var after = await check.CheckHealthAsync(new HealthCheckContext());
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal((HealthStatus.Unhealthy, "The model is still loading."), (before.Status, before.Description));
        Assert.Equal(HealthStatus.Healthy, after.Status);
        Assert.Equal(ModelFingerprint.Of(factory.ModelPath), after.Data["fingerprint"]);
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
            await client.WaitUntilReadyAsync();
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
