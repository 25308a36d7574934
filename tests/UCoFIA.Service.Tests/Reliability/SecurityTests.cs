using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace UCoFIA.Service.Tests.Reliability;

public sealed class ApiKeyHost : ReliabilityHost
{
    public const string Key = "correct horse battery staple";

    protected override void Configure(Dictionary<string, string?> settings) => settings["Auth:ApiKey"] = Key;
}

/// <summary>With Auth:ApiKey set, every /api route (found from the endpoint table, so new routes are covered) needs the key.</summary>
public sealed class ApiKeyTests(ApiKeyHost host) : IClassFixture<ApiKeyHost>
{
    public static IEnumerable<object?[]> WrongKeys =>
        new string?[] { null, "", " ", "correct horse battery stapl", "correct horse battery staple ", "CORRECT HORSE BATTERY STAPLE", "' OR '1'='1", "x" }
            .Select(k => new object?[] { k });

    [Theory]
    [MemberData(nameof(WrongKeys))]
    public async Task EveryApiRoute_MissingOrWrongKey_Returns401AndChangesNothing(string? key)
    {
        var routes = ApiRoutes();
        Assert.True(routes.Count >= 7, string.Join(", ", routes));
        foreach (var (method, path) in routes)
        {
            await host.AssertRejectedAsync(c => c.SendAsync(Request(method, path, key)), HttpStatusCode.Unauthorized, "unauthorized");
        }
    }

    [Fact]
    public async Task EveryApiRoute_RightKey_IsNotRefused()
    {
        foreach (var (method, path) in ApiRoutes())
        {
            using var response = await host.Client.SendAsync(Request(method, path, ApiKeyHost.Key));
            Assert.True(response.StatusCode != HttpStatusCode.Unauthorized, $"{method} {path}");
            Assert.True((int)response.StatusCode < 500, $"{method} {path}: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/swagger/index.html")]
    [InlineData("/metrics")]
    public async Task OperationalRoutes_WithoutKey_StayOpen(string path)
    {
        using var response = await host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/API/videos")]
    [InlineData("/api/../api/videos")]
    [InlineData("/api//videos")]
    [InlineData("/%61pi/videos")]
    public async Task PathVariants_WithoutKey_AreRefusedOrNotFound(string path)
    {
        using var response = await host.Client.GetAsync(path);
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
    }

    private List<(string Method, string Path)> ApiRoutes() =>
        host.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, Concrete(e.RoutePattern.RawText!))))
            .Distinct()
            .ToList();

    private static string Concrete(string pattern) =>
        "/" + string.Join('/', pattern.Trim('/').Split('/').Select(s => s.StartsWith('{') ? Guid.NewGuid().ToString() : s));

    private static HttpRequestMessage Request(string method, string path, string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = BadInput.Json("{\"text\":\"red\",\"texts\":[\"red\"]}");
        }
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", key);
        }
        return request;
    }
}

/// <summary>A host whose schema is broken on purpose, to see what an unexpected server error looks like in Production.</summary>
public sealed class InternalErrorTests(ReliabilityHost host) : IClassFixture<ReliabilityHost>
{
    [Fact]
    public async Task UnexpectedError_InProduction_Returns500ProblemWithoutInternals()
    {
        await using (var rename = host.DataSource.CreateCommand("ALTER TABLE videos RENAME TO videos_gone"))
        {
            await rename.ExecuteNonQueryAsync();
        }
        try
        {
            foreach (var send in new Func<HttpClient, Task<HttpResponseMessage>>[]
            {
                c => c.GetAsync("/api/videos"),
                c => c.GetAsync($"/api/videos/{Guid.NewGuid()}"),
                c => c.DeleteAsync($"/api/videos/{Guid.NewGuid()}"),
            })
            {
                using var response = await send(host.Client);
                var body = await response.Content.ReadAsStringAsync();
                await ReliabilityHost.AssertProblemAsync(response, HttpStatusCode.InternalServerError, "internal");
                foreach (var leak in new[] { "   at ", "Npgsql", "videos", "relation", "Exception", "/work/", ".cs:line" })
                {
                    Assert.DoesNotContain(leak, body, StringComparison.Ordinal);
                }
            }
        }
        finally
        {
            await using var back = host.DataSource.CreateCommand("ALTER TABLE videos_gone RENAME TO videos");
            await back.ExecuteNonQueryAsync();
        }
    }
}
