using System.Net;
using System.Text.Json;
using UCoFIA.Storage;

namespace UCoFIA.Service.Tests;

/// <summary>The OpenAPI document the running service serves at /swagger/v1/swagger.json, read operation by operation.</summary>
public sealed class OpenApiDocumentTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const string ProblemSchema = "#/components/schemas/ProblemDetails";

    /// <summary>Every /api operation can answer these, whatever it takes: the key check, the rate limiter, a crash, an unreachable database.</summary>
    private static readonly int[] Everywhere = [401, 429, 500, 503];

    public static TheoryData<string, string, string, string[]> UploadOperations => new()
    {
        { "post", "/api/search/videos", "image", ["topK", "candidates", "granularities", "exhaustive", "filter", "cursor"] },
        { "post", "/api/search/captions", "file", [] },
        { "post", "/api/embeddings/video", "file", [] },
        { "post", "/api/videos", "file", ["title", "captions", "metadata", "callbackUrl"] },
    };

    public static TheoryData<string, string, int[]> ProblemsByOperation => new()
    {
        { "post", "/api/videos", [400, 413, 415, 422] },
        { "get", "/api/videos", [400] },
        { "get", "/api/videos/{id}", [404] },
        { "delete", "/api/videos/{id}", [404] },
        { "get", "/api/videos/{id}/original", [404, 416] },
        { "head", "/api/videos/{id}/original", [404, 416] },
        { "get", "/api/videos/{id}/frames/{idx}.jpg", [404] },
        { "get", "/api/jobs/{id}", [404] },
        { "post", "/api/search/videos", [400, 413, 415, 422] },
        { "post", "/api/search/captions", [400, 404, 413, 415, 422] },
        { "post", "/api/captions", [400, 404, 413, 415] },
        { "post", "/api/embeddings/text", [400, 413, 415] },
        { "post", "/api/embeddings/video", [400, 404, 413, 415, 422] },
    };

    [Theory]
    [MemberData(nameof(UploadOperations))]
    public async Task SwaggerJson_UploadOperation_HasAMultipartSchemaWithItsBinaryField(string method, string path, string fileField, string[] otherFields)
    {
        var document = await DocumentAsync();
        var content = Operation(document, method, path).GetProperty("requestBody").GetProperty("content");

        var form = Resolve(document, content.GetProperty("multipart/form-data").GetProperty("schema"));

        var properties = form.GetProperty("properties");
        Assert.Equal(("string", "binary"), (properties.GetProperty(fileField).GetProperty("type").GetString(), properties.GetProperty(fileField).GetProperty("format").GetString()));
        Assert.Contains(fileField, form.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([fileField, .. otherFields], properties.EnumerateObject().Select(p => p.Name).ToArray());
        if (path != "/api/videos")
        {
            // The same operation still takes JSON, with its own request type and no file in it.
            var json = Resolve(document, content.GetProperty("application/json").GetProperty("schema"));
            Assert.DoesNotContain(json.GetProperty("properties").EnumerateObject(), p => p.Value.TryGetProperty("format", out var f) && f.GetString() == "binary");
        }
    }

    [Theory]
    [InlineData("ImageSearchForm", "/api/search/videos", HttpStatusCode.OK)]
    [InlineData("UploadForm", "/api/videos", HttpStatusCode.Accepted)]
    public async Task SwaggerJson_FormExample_IsAcceptedByTheService(string form, string path, HttpStatusCode expected)
    {
        var document = await DocumentAsync();
        var example = document.GetProperty("components").GetProperty("schemas").GetProperty(form).GetProperty("example");
        using var content = new MultipartFormDataContent();
        foreach (var field in example.EnumerateObject())
        {
            // What "Try it out" sends for the prefilled fields; an array goes as the field repeated, as curl -F would.
            foreach (var value in field.Value.ValueKind == JsonValueKind.Array ? field.Value.EnumerateArray().ToArray() : [field.Value])
            {
                content.Add(new StringContent(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()), field.Name);
            }
        }
        var (name, bytes) = form == "UploadForm"
            ? ("file", await TestVideos.Mp4Async(120, 60, 200))
            : ("image", TestVideos.SolidJpeg(64, 200, 40, 40));
        content.Add(new ByteArrayContent(bytes), name, name == "file" ? "clip.mp4" : "query.jpg");
        using var client = factory.CreateClient();

        using var response = await client.PostAsync(path, content);

        Assert.True(expected == response.StatusCode, await response.Content.ReadAsStringAsync());
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            Assert.Equal("succeeded", (await client.WaitForJobAsync((await response.JsonAsync()).GetProperty("jobId").GetGuid())).GetProperty("state").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(ProblemsByOperation))]
    public async Task SwaggerJson_Operation_DocumentsEachProblemItCanGive(string method, string path, int[] own)
    {
        var responses = Operation(await DocumentAsync(), method, path).GetProperty("responses");

        var errors = responses.EnumerateObject().Where(r => int.Parse(r.Name) >= 400).ToList();

        Assert.Equal(own.Concat(Everywhere).Order(), errors.Select(r => int.Parse(r.Name)).Order());
        Assert.All(errors, e => Assert.Equal(ProblemSchema,
            e.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString()));
    }

    [Fact]
    public async Task SwaggerJson_EveryApiOperation_RequiresTheApiKeyAndDocuments401()
    {
        var document = await DocumentAsync();
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal(("apiKey", "header", "X-Api-Key"), Scheme(schemes.GetProperty("ApiKey")));
        Assert.Equal(("apiKey", "query", "token"), Scheme(schemes.GetProperty("MediaToken")));

        var operations = ApiOperations(document).ToList();

        Assert.True(operations.Count >= 13, string.Join(", ", operations.Select(o => o.Name)));
        foreach (var (name, operation) in operations)
        {
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{name} has no 401");
            Assert.Equal(ApiKeyOrToken(name), operation.GetProperty("security").EnumerateArray()
                .Select(requirement => string.Join("+", requirement.EnumerateObject().Select(s => s.Name))).ToArray());
        }
    }

    [Fact]
    public async Task SwaggerJson_JobState_ListsEveryJobState()
    {
        var document = await DocumentAsync();

        var schemas = document.GetProperty("components").GetProperty("schemas");
        var state = schemas.GetProperty("JobResponse").GetProperty("properties").GetProperty("state");
        var list = document.GetProperty("paths").GetProperty("/api/jobs").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "state");

        // The response's state is the JobStatus enum; the list's state filter takes the same values as a string.
        var expected = Enum.GetNames<JobState>().Select(n => n.ToLowerInvariant()).ToList();
        Assert.Equal("#/components/schemas/JobStatus", state.GetProperty("$ref").GetString());
        Assert.Equal(expected, schemas.GetProperty("JobStatus").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(expected, list.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task SwaggerJson_Description_NamesRfc9457()
    {
        var document = await DocumentAsync();

        var description = document.GetProperty("info").GetProperty("description").GetString();

        Assert.Contains("RFC 9457", description);
        Assert.DoesNotContain("7807", description);
    }

    /// <summary>Only a video's media (what a &lt;video&gt; or &lt;img&gt; element loads) may be fetched with the token instead of the key.</summary>
    private static string[] ApiKeyOrToken(string operation) =>
        operation is "get /api/videos/{id}/original" or "head /api/videos/{id}/original" or "get /api/videos/{id}/frames/{idx}.jpg"
            ? ["ApiKey", "MediaToken"]
            : ["ApiKey"];

    private static (string?, string?, string?) Scheme(JsonElement scheme) =>
        (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString());

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static JsonElement Operation(JsonElement document, string method, string path) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static IEnumerable<(string Name, JsonElement Operation)> ApiOperations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => ($"{o.Name} {p.Name}", o.Value)));

    /// <summary>The schema itself, following a $ref into components.</summary>
    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;
}
