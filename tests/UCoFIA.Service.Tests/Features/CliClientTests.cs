using Spectre.Console.Testing;
using UCoFIA.Cli.Bench;
using UCoFIA.Cli.Client;

namespace UCoFIA.Service.Tests.Features;

/// <summary>The CLI's ingest, search and bench calls against the real service (the factory's HttpClient stands in for the network).</summary>
public sealed class CliClientTests(GalleryFixture gallery) : IClassFixture<GalleryFixture>
{
    [Fact]
    public async Task Ingest_TwiceWithState_SecondRunSkipsAndSearchPrintsMoments()
    {
        var folder = Directory.CreateTempSubdirectory("ucofia-cli-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, "a.mp4"), await TestVideos.Mp4Async(90, 30, 160));
            await File.WriteAllBytesAsync(Path.Combine(folder, "b.mp4"), await TestVideos.Mp4Async(30, 160, 90));
            await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a video");
            var client = new ServiceClient(gallery.Factory.CreateClient());
            var files = IngestRunner.ExpandInputs([folder]);
            Assert.Equal(2, files.Count);
            var state = Path.Combine(folder, "state.json");

            var first = await IngestRunner.RunAsync(client, files, 2, state, new TestConsole(), CancellationToken.None);
            Assert.Equal((2, 0, 0), (first.Ingested, first.Skipped, first.Failed.Count));
            var second = await IngestRunner.RunAsync(client, files, 2, state, new TestConsole(), CancellationToken.None);
            Assert.Equal((0, 2, 0), (second.Ingested, second.Skipped, second.Failed.Count));

            var console = new TestConsole();
            console.Profile.Width = 200;
            var body = await SearchRunner.RunAsync(client, "a red circle", 10, console, CancellationToken.None);
            Assert.Equal(5, body.GetProperty("results").GetArrayLength());
            Assert.Contains("moments", console.Output);
            Assert.Contains("–", console.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
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
