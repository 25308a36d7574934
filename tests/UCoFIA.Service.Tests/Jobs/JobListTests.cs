using System.Net;

namespace UCoFIA.Service.Tests.Jobs;

/// <summary>GET /api/jobs on a service of its own, so that the list holds exactly the jobs the test made.</summary>
public sealed class JobListTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task ListJobs_ByStateAndPage_NewestFirst()
    {
        using var client = factory.CreateClient();
        var succeeded = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            succeeded.Add((await client.IngestAsync(await TestVideos.Mp4Async((byte)(40 * i), 120, 60))).GetProperty("id").GetGuid());
        }
        var failed = await client.WaitForJobAsync(await client.UploadAsync(ApiClient.UploadForm(Reliability.Media.ZeroMediaData(await TestVideos.Mp4Async(9, 9, 9)))));

        var onlyFailed = await (await client.GetAsync("/api/jobs?state=failed")).JsonAsync();
        var firstPage = await (await client.GetAsync("/api/jobs?page=1&pageSize=2")).JsonAsync();
        var secondPage = await (await client.GetAsync("/api/jobs?page=2&pageSize=2")).JsonAsync();
        using var unknown = await client.GetAsync("/api/jobs?state=done");

        Assert.Equal("failed", failed.GetProperty("state").GetString());
        var failedItem = Assert.Single(onlyFailed.GetProperty("items").EnumerateArray());
        Assert.Equal(failed.GetProperty("id").GetGuid(), failedItem.GetProperty("id").GetGuid());
        Assert.Equal(1, onlyFailed.GetProperty("total").GetInt64());
        Assert.Equal(4, firstPage.GetProperty("total").GetInt64());
        Assert.Equal([failed.GetProperty("id").GetGuid(), succeeded[2], succeeded[1], succeeded[0]],
            firstPage.GetProperty("items").EnumerateArray().Concat(secondPage.GetProperty("items").EnumerateArray()).Select(j => j.GetProperty("id").GetGuid()));
        await unknown.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task SwaggerJson_JobRoutes_DocumentTheirProblems()
    {
        using var client = factory.CreateClient();
        var document = await (await client.GetAsync("/swagger/v1/swagger.json")).JsonAsync();
        var paths = document.GetProperty("paths");

        // Each route's own answers, beside the 401, 429, 500 and 503 every /api route documents (OpenApiDocumentTests).
        Assert.Equal(["200", "400", "401", "429", "500", "503"], Responses(paths, "/api/jobs", "get"));
        Assert.Equal(["200", "202", "401", "404", "409", "429", "500", "503"], Responses(paths, "/api/jobs/{id}/cancel", "post"));
        Assert.Equal(["202", "401", "404", "409", "410", "429", "500", "503"], Responses(paths, "/api/jobs/{id}/retry", "post"));
    }

    private static IEnumerable<string> Responses(System.Text.Json.JsonElement paths, string path, string method) =>
        paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(r => r.Name).Order();
}
