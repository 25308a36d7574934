using System.Net;
using System.Text;
using static UCoFIA.Service.Tests.Reliability.BadInput;

namespace UCoFIA.Service.Tests.Reliability;

/// <summary>
/// The JSON endpoints and the id routes under hostile input: malformed and oversized JSON, bad texts, out-of-range
/// numbers, SQL and path-traversal strings, unknown and malformed ids. Refusals change nothing; odd but valid
/// input is answered normally.
/// </summary>
public sealed class BadRequestTests(ReliabilityHost host) : IClassFixture<ReliabilityHost>
{
    private static readonly Lazy<Dictionary<string, BadCase>> Rejected = new(() => BuildRejected().ToDictionary(c => c.Name));

    public static IEnumerable<object[]> RejectedCases => Names(Rejected.Value.Values);

    public static IEnumerable<object[]> SearchTexts =>
        OddValidTexts.Keys.Select(k => $"odd:{k}").Concat(SqlInjections.Select((_, i) => $"sql:{i}")).Concat(PathTraversals.Select((_, i) => $"path:{i}"))
            .Select(n => new object[] { n });

    public static IEnumerable<object[]> OddValidSearchBodies => new[]
    {
        "{\"text\":\"red\",\"topK\":1}", "{\"text\":\"red\",\"topK\":100}", "{\"text\":\"red\",\"candidates\":1}", "{\"text\":\"red\",\"candidates\":2000}",
        "{\"text\":\"red\",\"topK\":\"5\"}", "{\"text\":\"red\",\"granularities\":[\"VIDEO\",\"Patch\"]}", "{\"text\":\"red\",\"granularities\":[]}",
        "{\"text\":\"red\",\"unknownField\":{\"nested\":[1,2,3]}}", "{\"text\":\"red\",\"exhaustive\":true}", "{\"text\":\"red\",\"topK\":null,\"candidates\":null}",
        "\uFEFF{\"text\":\"red\"}", "  {\"text\" : \"red\"}  ",
    }.Select(b => new object[] { b });

    [Theory]
    [MemberData(nameof(RejectedCases))]
    public async Task Request_Hostile_ReturnsExactProblemAndChangesNothing(string name)
    {
        var c = Rejected.Value[name];
        await host.AssertRejectedAsync(c.Send, c.Status, c.Code);
    }

    [Theory]
    [MemberData(nameof(SearchTexts))]
    public async Task SearchVideos_OddButValidText_Returns200AndChangesNothing(string name)
    {
        var before = await host.CountsAsync();
        using var response = await host.Client.PostAsync("/api/search/videos", Json($"{{\"text\":{Quote(TextOf(name))}}}"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await host.CountsAsync());
    }

    [Theory]
    [MemberData(nameof(OddValidSearchBodies))]
    public async Task SearchVideos_OddButValidBody_Returns200(string body)
    {
        using var response = await host.Client.PostAsync("/api/search/videos", Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(SearchTexts))]
    public async Task AddCaptions_OddButValidText_StoresItExactlyOnce(string name)
    {
        var before = await host.CountsAsync();
        using var response = await host.Client.PostAsync("/api/captions", Json($"{{\"texts\":[{Quote(TextOf(name))}]}}"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var after = await host.CountsAsync();
        Assert.Equal(before["captions"] + 1, after["captions"]);
        foreach (var table in before.Keys.Where(t => t is not "captions" and not "caption_words"))
        {
            Assert.Equal(before[table], after[table]);
        }
    }

    private static string TextOf(string name) => name.Split(':', 2) switch
    {
        ["odd", var k] => OddValidTexts[k],
        ["sql", var i] => SqlInjections[int.Parse(i, System.Globalization.CultureInfo.InvariantCulture)],
        ["path", var i] => PathTraversals[int.Parse(i, System.Globalization.CultureInfo.InvariantCulture)],
        _ => throw new ArgumentException(name),
    };

    private static IEnumerable<BadCase> BuildRejected()
    {
        var v = HttpStatusCode.BadRequest;
        const string Bad = "validation";
        static Func<HttpClient, Task<HttpResponseMessage>> Post(string path, string json) => c => c.PostAsync(path, Json(json));

        // Texts in every text field.
        foreach (var (name, text) in InvalidTexts)
        {
            yield return new($"search-text:{name}", Post("/api/search/videos", $"{{\"text\":{Quote(text)}}}"), v, Bad);
            yield return new($"caption-text:{name}", Post("/api/captions", $"{{\"texts\":[{Quote(text)}]}}"), v, Bad);
            yield return new($"caption-text-second:{name}", Post("/api/captions", $"{{\"texts\":[\"fine\",{Quote(text)}]}}"), v, Bad);
        }
        // Malformed JSON on each JSON route.
        var malformed = new Dictionary<string, string>
        {
            ["empty"] = "", ["open-brace"] = "{", ["unterminated"] = "{\"text\":", ["array"] = "[]", ["string"] = "\"red\"", ["null"] = "null",
            ["number"] = "42", ["trailing"] = "{\"text\":\"red\"} x", ["single-quotes"] = "{'text':'red'}", ["comment"] = "{/*c*/\"text\":\"red\"}",
            ["trailing-comma"] = "{\"text\":\"red\",}", ["nan"] = "{\"text\":\"red\",\"topK\":NaN}", ["lone-surrogate"] = "{\"text\":\"\\ud800\"}",
            ["deep"] = new string('[', 300) + new string(']', 300), ["text-number"] = "{\"text\":1}", ["text-array"] = "{\"text\":[\"a\"]}",
            ["text-object"] = "{\"text\":{\"$ne\":null}}", ["texts-string"] = "{\"texts\":\"red\"}", ["sql-body"] = "'; DROP TABLE videos; --",
        };
        foreach (var (name, json) in malformed)
        {
            yield return new($"search-json:{name}", Post("/api/search/videos", json), v, Bad);
            yield return new($"captions-json:{name}", Post("/api/captions", json), v, Bad);
        }
        yield return new("search-json:invalid-utf8", c => c.PostAsync("/api/search/videos", JsonBytes([(byte)'{', (byte)'"', (byte)'t', (byte)'e', (byte)'x', (byte)'t', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, (byte)'"', (byte)'}'])), v, Bad);
        // Oversized JSON is cut off: 413 before it is parsed.
        var huge = "{\"text\":\"" + new string('h', 3 * 1024 * 1024) + "\"}";
        yield return new("search-json:3MB", Post("/api/search/videos", huge), HttpStatusCode.RequestEntityTooLarge, "too-large");
        yield return new("captions-json:3MB", Post("/api/captions", "{\"texts\":[\"" + new string('h', 3 * 1024 * 1024) + "\"]}"), HttpStatusCode.RequestEntityTooLarge, "too-large");
        yield return new("search-captions-json:3MB", Post("/api/search/captions", "{\"videoId\":\"" + new string('h', 3 * 1024 * 1024) + "\"}"), HttpStatusCode.RequestEntityTooLarge, "too-large");
        // Numbers out of range.
        foreach (var topK in new[] { "0", "-1", "-2147483648", "101", "2147483647", "1e12", "1.5", "true", "\"ten\"", "99999999999999999999" })
        {
            yield return new($"search-topK:{topK}", Post("/api/search/videos", $"{{\"text\":\"red\",\"topK\":{topK}}}"), v, Bad);
        }
        foreach (var candidates in new[] { "0", "-5", "2001", "2147483647", "-2147483648", "[1]" })
        {
            yield return new($"search-candidates:{candidates}", Post("/api/search/videos", $"{{\"text\":\"red\",\"candidates\":{candidates}}}"), v, Bad);
        }
        foreach (var granularity in new[] { "\"pixel\"", "\"\"", "\"video; DROP TABLE videos\"", "\"99\"", "\"1\"", "\"../frame\"", "1" })
        {
            yield return new($"search-granularity:{granularity}", Post("/api/search/videos", $"{{\"text\":\"red\",\"granularities\":[{granularity}]}}"), v, Bad);
        }
        // Content types of the JSON routes.
        foreach (var path in new[] { "/api/search/videos", "/api/captions", "/api/search/captions" })
        {
            foreach (var type in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded" })
            {
                yield return new($"content-type:{path}:{type}", c => c.PostAsync(path, Raw(Encoding.UTF8.GetBytes("{\"text\":\"red\"}"), type)),
                    HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
            }
            yield return new($"content-type:{path}:none", c => c.PostAsync(path, Raw(Encoding.UTF8.GetBytes("{\"text\":\"red\"}"), null)),
                HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        }
        // Captions: counts and video ids.
        yield return new("captions:texts-missing", Post("/api/captions", "{}"), v, Bad);
        yield return new("captions:texts-empty", Post("/api/captions", "{\"texts\":[]}"), v, Bad);
        yield return new("captions:texts-null-item", Post("/api/captions", "{\"texts\":[null]}"), v, Bad);
        yield return new("captions:texts-101", Post("/api/captions", "{\"texts\":[" + string.Join(',', Enumerable.Range(0, 101).Select(i => $"\"c{i}\"")) + "]}"), v, Bad);
        yield return new("captions:video-unknown", Post("/api/captions", $"{{\"texts\":[\"red\"],\"videoId\":\"{Guid.NewGuid()}\"}}"), HttpStatusCode.NotFound, "not-found");
        foreach (var (i, id) in SqlInjections.Take(3).Concat(PathTraversals.Take(3)).Append("not-a-guid").Index())
        {
            yield return new($"captions:video-id-hostile-{i}", Post("/api/captions", $"{{\"texts\":[\"red\"],\"videoId\":{Quote(id)}}}"), v, Bad);
            yield return new($"search-captions:video-id-hostile-{i}", Post("/api/search/captions", $"{{\"videoId\":{Quote(id)}}}"), v, Bad);
        }
        yield return new("search-captions:video-unknown", Post("/api/search/captions", $"{{\"videoId\":\"{Guid.NewGuid()}\"}}"), HttpStatusCode.NotFound, "not-found");
        yield return new("search-captions:video-missing", Post("/api/search/captions", "{}"), v, Bad);
        yield return new("search-captions:video-empty", Post("/api/search/captions", $"{{\"videoId\":\"{Guid.Empty}\"}}"), v, Bad);
        yield return new("search-captions:empty-body", Post("/api/search/captions", ""), v, Bad);
        yield return new("search-captions:open-brace", Post("/api/search/captions", "{"), v, Bad);
        yield return new("search-captions:array", Post("/api/search/captions", "[]"), v, Bad);
        // Ids in routes: malformed ids do not match the route (404 from routing); unknown ones are 404 from the handler.
        var hostileIds = SqlInjections.Concat(PathTraversals).Concat(["not-a-guid", "0", "-1", "%00", "00000000-0000-0000-0000-00000000000g", "{" + Guid.Empty + "}x"]).ToList();
        foreach (var (i, id) in hostileIds.Index())
        {
            var escaped = Uri.EscapeDataString(id);
            yield return new($"route:get-video-hostile-{i}", c => c.GetAsync($"/api/videos/{escaped}"), HttpStatusCode.NotFound, "not-found");
            yield return new($"route:delete-video-hostile-{i}", c => c.DeleteAsync($"/api/videos/{escaped}"), HttpStatusCode.NotFound, "not-found");
            yield return new($"route:get-job-hostile-{i}", c => c.GetAsync($"/api/jobs/{escaped}"), HttpStatusCode.NotFound, "not-found");
        }
        foreach (var id in new[] { Guid.Empty, Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"), Guid.CreateVersion7() })
        {
            yield return new($"route:get-video-unknown-{id}", c => c.GetAsync($"/api/videos/{id}"), HttpStatusCode.NotFound, "not-found");
            yield return new($"route:delete-video-unknown-{id}", c => c.DeleteAsync($"/api/videos/{id}"), HttpStatusCode.NotFound, "not-found");
            yield return new($"route:get-job-unknown-{id}", c => c.GetAsync($"/api/jobs/{id}"), HttpStatusCode.NotFound, "not-found");
        }
        foreach (var query in new[] { "page=0", "page=-1", "pageSize=0", "pageSize=201", "pageSize=-5", "page=abc", "pageSize=1e9", "page=2147483647",
            "page=1;DROP TABLE videos", "pageSize=%27%20OR%201%3D1" })
        {
            yield return new($"route:list-{query}", c => c.GetAsync($"/api/videos?{query}"), v, Bad);
        }
        yield return new("route:unknown-api", c => c.GetAsync("/api/nope"), HttpStatusCode.NotFound, "not-found");
        yield return new("route:unknown-subresource", c => c.GetAsync($"/api/videos/{Guid.NewGuid()}/frames"), HttpStatusCode.NotFound, "not-found");
        yield return new("method:put-videos", c => c.PutAsync("/api/videos", Json("{}")), HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        yield return new("method:get-search", c => c.GetAsync("/api/search/videos"), HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        yield return new("method:delete-job", c => c.DeleteAsync($"/api/jobs/{Guid.NewGuid()}"), HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        yield return new("method:get-captions", c => c.GetAsync("/api/captions"), HttpStatusCode.MethodNotAllowed, "method-not-allowed");
    }
}
