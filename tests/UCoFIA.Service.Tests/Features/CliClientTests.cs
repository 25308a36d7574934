using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console.Testing;
using UCoFIA.Cli.Bench;
using UCoFIA.Cli.Client;
using UCoFIA.Service.Tests.Reliability;
using UCoFIA.Tests.Shared;

namespace UCoFIA.Service.Tests.Features;

/// <summary>The CLI's ingest, search and bench calls against the real service (the factory's HttpClient stands in for the network).</summary>
public sealed class CliClientTests(GalleryFixture gallery) : IClassFixture<GalleryFixture>
{
    [Fact]
    public async Task Ingest_TwiceWithState_SecondRunSkipsAndSearchPrintsMoments()
    {
        using var folder = new TempFolder("ucofia-cli-");
        await File.WriteAllBytesAsync(folder["a.mp4"], await TestVideos.Mp4Async(90, 30, 160));
        await File.WriteAllBytesAsync(folder["b.mp4"], await TestVideos.Mp4Async(30, 160, 90));
        await File.WriteAllTextAsync(folder["notes.txt"], "not a video");
        var client = new ServiceClient(gallery.Factory.CreateClient());
        var files = IngestRunner.ExpandInputs([folder.Path]);
        Assert.Equal(2, files.Count);
        var state = folder["state.json"];

        var first = await IngestRunner.RunAsync(client, files, UploadFields.None, 2, state, new TestConsole(), CancellationToken.None);
        Assert.Equal((2, 0, 0), (first.Ingested, first.Skipped, first.Failed.Count));
        var second = await IngestRunner.RunAsync(client, files, UploadFields.None, 2, state, new TestConsole(), CancellationToken.None);
        Assert.Equal((0, 2, 0), (second.Ingested, second.Skipped, second.Failed.Count));

        var console = new TestConsole();
        console.Profile.Width = 200;
        var body = await SearchRunner.RunAsync(client, "a red circle", 10, console, CancellationToken.None);
        Assert.Equal(5, body.GetProperty("results").GetArrayLength());
        Assert.Contains("moments", console.Output);
        Assert.Contains("–", console.Output);
    }

    [Fact]
    public async Task MetricsAsync_AfterTheFixturesIngestion_HasEveryStageTheBenchSums()
    {
        // The fixture ingested its videos through the upload route, so every ingestion stage has run.
        var client = new ServiceClient(gallery.Factory.CreateClient());

        var metrics = await client.MetricsAsync("ucofia_stage_duration", CancellationToken.None);

        Assert.All(BenchRunner.IngestionStages, stage => Assert.True(metrics.GetValueOrDefault(BenchRunner.StageSumKey(stage)) > 0,
            $"the service emitted no {stage} stage; it has {string.Join(", ", metrics.Keys)}"));
    }
}

/// <summary>
/// <c>ucofia ingest</c> and <c>ucofia search</c> run as commands (arguments in, exit code and output out) against the
/// real service, the factory's in-process handler in place of the network.
/// </summary>
public sealed class CliCommandTests(ServiceFactory factory, ApiKeyHost keyed) : IClassFixture<ServiceFactory>, IClassFixture<ApiKeyHost>
{
    [Fact]
    public async Task Ingest_WithSynthCaptionsAndMetadata_StoresBothWithEachVideo()
    {
        using var corpus = new TempFolder("ucofia-cli-corpus-");
        Directory.CreateDirectory(corpus["videos"]);
        await File.WriteAllBytesAsync(corpus["videos", "red.mp4"], await TestVideos.Mp4Async(220, 30, 30));
        await File.WriteAllBytesAsync(corpus["videos", "blue.mp4"], await TestVideos.Mp4Async(30, 30, 220));
        // The format 'ucofia synth' writes: paths relative to the corpus folder, one line per caption.
        await File.WriteAllLinesAsync(corpus["captions.jsonl"],
        [
            """{"video":"videos/red.mp4","caption":"a red square fills the frame","split":"test"}""",
            """{"video":"videos/red.mp4","caption":"everything is red","split":"test"}""",
            """{"video":"videos/blue.mp4","caption":"a blue square fills the frame","split":"test"}""",
        ]);

        var run = await CliRun.RunAsync(factory.Server.CreateHandler, "ingest", corpus.Path, "--captions", corpus["captions.jsonl"],
            "--metadata", """{"source":"cli","batch":7}""", "--state", corpus["state.json"]);

        Assert.Equal((ExitCodes.Ok, ""), (run.ExitCode, run.Error));
        using var client = factory.CreateClient();
        var videos = (await client.GetFromJsonAsync<JsonElement>("/api/videos?pageSize=200")).GetProperty("items").EnumerateArray()
            .ToDictionary(v => v.GetProperty("title").GetString()!);
        Assert.All(new[] { "red", "blue" }, title => Assert.Equal(("cli", 7),
            (videos[title].GetProperty("metadata").GetProperty("source").GetString(), videos[title].GetProperty("metadata").GetProperty("batch").GetInt32())));
        Assert.Equal(["a red square fills the frame", "everything is red"], await CaptionsOfAsync(client, videos["red"].GetProperty("id").GetGuid()));
        Assert.Equal(["a blue square fills the frame"], await CaptionsOfAsync(client, videos["blue"].GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Ingest_OneFileNotAVideo_Exit6NamingItAndIngestsTheOthers()
    {
        using var folder = new TempFolder("ucofia-cli-bad-");
        await File.WriteAllBytesAsync(folder["good.mp4"], await TestVideos.Mp4Async(30, 220, 30));
        await File.WriteAllTextAsync(folder["text.mp4"], "this is not a video at all");

        var run = await CliRun.RunAsync(factory.Server.CreateHandler, "ingest", folder.Path, "--state", folder["state.json"]);

        Assert.Equal(ExitCodes.SomeFilesFailed, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith($"error: {folder["text.mp4"]}: ", line);
        Assert.Contains("ingested 1, skipped 0 already done, failed 1", run.Output);
    }

    [Fact]
    public async Task Search_Json_PrintsTheServicesResponseAsItIs()
    {
        var run = await CliRun.RunAsync(factory.Server.CreateHandler, "search", "a red square", "--top", "3", "--json");

        Assert.Equal((ExitCodes.Ok, ""), (run.ExitCode, run.Error));
        using var body = JsonDocument.Parse(run.Output);
        Assert.Equal(JsonValueKind.Array, body.RootElement.GetProperty("results").ValueKind);
        Assert.True(body.RootElement.GetProperty("timings").GetProperty("encodeMs").GetDouble() >= 0);
    }

    [Fact]
    public async Task Search_BlankText_Exit4WithTheProblemsTitleAndDetail()
    {
        var run = await CliRun.RunAsync(factory.Server.CreateHandler, "search", "   ");

        Assert.Equal(ExitCodes.Rejected, run.ExitCode);
        Assert.Equal("error: the service refused the request: 400 The request is not valid.: 'text' must not be empty.", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Ingest_WrongApiKey_StopsWithExit4InsteadOfFailingEachFile()
    {
        using var folder = new TempFolder("ucofia-cli-key-");
        await File.WriteAllBytesAsync(folder["a.mp4"], await TestVideos.Mp4Async(200, 200, 30));
        await File.WriteAllBytesAsync(folder["b.mp4"], await TestVideos.Mp4Async(30, 200, 200));

        var run = await CliRun.RunAsync(keyed.Factory.Server.CreateHandler, "ingest", folder.Path, "--api-key", "wrong", "--state", folder["state.json"]);

        Assert.Equal(ExitCodes.Rejected, run.ExitCode);
        Assert.Equal("error: the service refused the request: 401 An API key is required.: Send the configured API key in the X-Api-Key header.",
            Assert.Single(run.ErrorLines));
    }

    private static async Task<string[]> CaptionsOfAsync(HttpClient client, Guid videoId)
    {
        using var response = await client.PostAsJsonAsync("/api/search/captions", new { videoId, topK = 50 });
        var results = (await response.JsonAsync()).GetProperty("results").EnumerateArray();
        return results.Where(r => r.GetProperty("videoId").GetString() == videoId.ToString())
            .Select(r => r.GetProperty("text").GetString()!).Order(StringComparer.Ordinal).ToArray();
    }
}
