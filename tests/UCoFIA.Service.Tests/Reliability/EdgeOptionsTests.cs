using System.Net;

namespace UCoFIA.Service.Tests.Reliability;

public sealed class RateLimitHost : ReliabilityHost
{
    public const int Permits = 3;

    protected override void Configure(Dictionary<string, string?> settings) => settings["RateLimiting:PermitsPerMinute"] = Permits.ToString();
}

public sealed class CorsHost : ReliabilityHost
{
    public const string Origin = "https://search.example";

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["Cors:AllowedOrigins:0"] = Origin;
        settings["Auth:ApiKey"] = ApiKeyHost.Key;
    }
}

/// <summary>Rate limiting and CORS are off unless configured; configured, they do what the README's configuration table says.</summary>
public sealed class EdgeOptionsTests(ServiceFactory plain, RateLimitHost limited, CorsHost cors)
    : IClassFixture<ServiceFactory>, IClassFixture<RateLimitHost>, IClassFixture<CorsHost>
{
    [Fact]
    public async Task RateLimit_NotConfigured_NeverAnswers429()
    {
        using var client = plain.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4 * RateLimitHost.Permits; i++)
        {
            using var response = await client.GetAsync("/api/videos");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task RateLimit_PermitsUsed_NextRequestGets429ProblemWithRetryAfter()
    {
        for (var i = 0; i < RateLimitHost.Permits; i++)
        {
            using var allowed = await limited.Client.GetAsync("/api/videos");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await limited.Client.GetAsync("/api/videos");

        await ReliabilityHost.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        var seconds = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")));
        Assert.InRange(seconds, 1, 60);
        // Only /api is limited: a load balancer's probe keeps its answer.
        using var ready = await limited.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Cors_NotConfigured_SendsNoCorsHeaders()
    {
        using var client = plain.CreateClient();

        using var preflight = await client.SendAsync(Preflight(CorsHost.Origin));
        using var get = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/videos") { Headers = { { "Origin", CorsHost.Origin } } });

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.False(get.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Cors_AllowedOrigin_PreflightIsAnsweredBeforeTheKeyIsAsked()
    {
        using var preflight = await cors.Client.SendAsync(Preflight(CorsHost.Origin));

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(CorsHost.Origin, Assert.Single(preflight.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("x-api-key", string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);

        // The real request that follows carries the key, and its answer is readable by the page.
        using var get = await cors.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/videos")
        {
            Headers = { { "Origin", CorsHost.Origin }, { "X-Api-Key", ApiKeyHost.Key } },
        });
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(CorsHost.Origin, Assert.Single(get.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Cors_OtherOrigin_GetsNoCorsHeaders()
    {
        using var preflight = await cors.Client.SendAsync(Preflight("https://elsewhere.example"));

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
    }

    /// <summary>What a browser sends before a cross-origin GET with the API key header.</summary>
    private static HttpRequestMessage Preflight(string origin) => new(HttpMethod.Options, "/api/videos")
    {
        Headers =
        {
            { "Origin", origin },
            { "Access-Control-Request-Method", "GET" },
            { "Access-Control-Request-Headers", "x-api-key" },
        },
    };
}
