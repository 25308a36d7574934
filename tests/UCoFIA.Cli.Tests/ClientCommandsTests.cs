using System.CommandLine;
using System.Net;
using System.Text;
using UCoFIA.Cli.Client;
using UCoFIA.Cli.Commands;
using UCoFIA.Tests.Shared;

namespace UCoFIA.Cli.Tests;

/// <summary>
/// <c>ucofia ingest</c> and <c>ucofia search</c> against a scripted service: the answers a real one gives under load
/// or when it breaks (503 and 429 with Retry-After, a 500 problem), and no service at all. The commands against the
/// real service are in UCoFIA.Service.Tests (Features/CliClientTests.cs).
/// </summary>
public sealed class ClientCommandsTests
{
    private const string SearchBody = """{"results":[],"candidates":0,"timings":{"encodeMs":1,"recallMs":2,"fetchMs":3,"rerankMs":4},"nextCursor":null}""";

    [Fact]
    public async Task Search_503ThenOk_RetriesAfterRetryAfterAndPrintsTheRawJson()
    {
        var service = new ScriptedService(Busy(HttpStatusCode.ServiceUnavailable), Busy(HttpStatusCode.ServiceUnavailable), Ok(SearchBody));

        var run = await CliRun.RunAsync(() => service, "search", "a red circle", "--json");

        Assert.Equal((ExitCodes.Ok, ""), (run.ExitCode, run.Error));
        Assert.Equal(SearchBody, run.Output.TrimEnd());
        Assert.Equal(3, service.Requests.Count);
    }

    [Fact]
    public async Task Search_Always429_GivesUpAfterTheLastAttemptWithExit4AndTheProblem()
    {
        var service = new ScriptedService(Enumerable.Repeat(Busy(HttpStatusCode.TooManyRequests), 10).ToArray());

        var run = await CliRun.RunAsync(() => service, "search", "a red circle");

        Assert.Equal(ExitCodes.Rejected, run.ExitCode);
        Assert.Equal(RetryHandler.MaxAttempts, service.Requests.Count);
        Assert.Equal("error: the service refused the request: 429 Try later: retry after 0 s", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Search_ServerError_Exit5WithOneLineAndNoStackTrace()
    {
        var service = new ScriptedService(Problem(HttpStatusCode.InternalServerError, "An unexpected error occurred.", "The error has been logged."));

        var run = await CliRun.RunAsync(() => service, "search", "a red circle");

        Assert.Equal(ExitCodes.ServerError, run.ExitCode);
        Assert.Equal("error: the service failed: 500 An unexpected error occurred.: The error has been logged.", Assert.Single(run.ErrorLines));
        Assert.Single(service.Requests); // a 500 is not retried
    }

    [Fact]
    public async Task Search_NothingListening_Exit3()
    {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        var run = await CliRun.RunAsync(null, "search", "a red circle", "--url", "http://127.0.0.1:1");

        Assert.Equal(ExitCodes.CannotConnect, run.ExitCode);
        Assert.StartsWith("error: cannot reach the service: ", Assert.Single(run.ErrorLines));
    }

    [Theory]
    [InlineData("ingest")] // no inputs
    [InlineData("search", "x", "--top", "many")]
    [InlineData("search", "x", "--no-such-option")]
    [InlineData("search", "x", "--url", "localhost:8080")]
    [InlineData("ingest", "/no/such/folder")]
    [InlineData("ingest", ".", "--metadata", "[1, 2]")]
    [InlineData("ingest", ".", "--metadata", "{not json")]
    [InlineData("ingest", ".", "--captions", "/no/such/captions.jsonl")]
    public async Task Command_UnusableCommandLine_Exit2BeforeAnyRequest(params string[] args)
    {
        var service = new ScriptedService();

        var run = await CliRun.RunAsync(() => service, args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Empty(service.Requests);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_UploadAnswered503_SendsTheWholeFileAgain()
    {
        using var folder = new TempFolder("ucofia-cli-retry-");
        var video = folder["clip.mp4"];
        await File.WriteAllBytesAsync(video, Encoding.ASCII.GetBytes(new string('v', 100_000)));
        var service = new ScriptedService(Busy(HttpStatusCode.ServiceUnavailable),
            Ok($$"""{"jobId":null,"videoId":"{{Guid.NewGuid()}}","duplicate":true}"""));

        var run = await CliRun.RunAsync(() => service, "ingest", folder.Path, "--state", folder["state.json"], "--metadata", """{"source":"retry"}""");

        Assert.Equal((ExitCodes.Ok, ""), (run.ExitCode, run.Error));
        Assert.Equal(2, service.Requests.Count);
        Assert.All(service.Requests, body =>
        {
            Assert.Contains(new string('v', 100_000), body, StringComparison.Ordinal);
            Assert.Contains("""{"source":"retry"}""", body, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task UploadFields_SynthCaptions_AreKeyedByThePathInTheIngestedFolder()
    {
        using var corpus = new TempFolder("ucofia-cli-captions-");
        // The captions file exactly as 'ucofia synth' writes it, and an (empty) file at each path it names.
        Assert.Equal(0, await new RootCommand { SynthCommand.Create() }
            .Parse(["synth", "--out", corpus.Path, "--train", "3", "--val", "0", "--test", "0", "--hard", "0"]).InvokeAsync());
        var lines = (await File.ReadAllLinesAsync(corpus["captions.jsonl"]))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        foreach (var video in lines.Select(l => l.GetProperty("video").GetString()!).Distinct())
        {
            Directory.CreateDirectory(Path.GetDirectoryName(corpus[video])!);
            await File.WriteAllBytesAsync(corpus[video], []);
        }
        var files = IngestRunner.ExpandInputs([corpus.Path]);

        var fields = UploadFields.Create(null, corpus["captions.jsonl"], [corpus.Path], files);

        Assert.Equal(3, files.Count);
        Assert.Equal(0, fields.UnmatchedCaptions);
        Assert.All(files, file => Assert.Equal(
            lines.Where(l => Path.GetFullPath(corpus[l.GetProperty("video").GetString()!]) == file).Select(l => l.GetProperty("caption").GetString()),
            fields.CaptionsOf(file)));
        Assert.All(files, file => Assert.NotEmpty(fields.CaptionsOf(file)));
    }

    private static Func<HttpResponseMessage> Busy(HttpStatusCode status) => () =>
    {
        var response = Problem(status, "Try later", "retry after 0 s")();
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
        return response;
    };

    private static Func<HttpResponseMessage> Problem(HttpStatusCode status, string title, string detail) => () => new HttpResponseMessage(status)
    {
        Content = new StringContent($$"""{"type":"urn:ucofia:problem:x","title":"{{title}}","status":{{(int)status}},"detail":"{{detail}}"}""",
            Encoding.UTF8, "application/problem+json"),
    };

    private static Func<HttpResponseMessage> Ok(string json) => () => new HttpResponseMessage(HttpStatusCode.OK)
    {
        Content = new StringContent(json, Encoding.UTF8, "application/json"),
    };

    /// <summary>Answers each request with the next scripted response and keeps every request body it was sent.</summary>
    private sealed class ScriptedService(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        private int _next;

        public List<string> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Copied, not read as a string: reading would buffer the content, and a resent request would come from the buffer.
            using var body = new MemoryStream();
            if (request.Content is not null)
            {
                await request.Content.CopyToAsync(body, cancellationToken);
            }
            Requests.Add(Encoding.UTF8.GetString(body.ToArray()));
            return _next < answers.Length ? answers[_next++]() : throw new InvalidOperationException($"unscripted request {request.RequestUri}");
        }
    }
}
