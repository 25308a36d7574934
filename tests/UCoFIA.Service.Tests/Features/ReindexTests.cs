using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using Spectre.Console.Testing;
using UCoFIA.Cli.Commands;
using UCoFIA.Model;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Ingestion;
using UCoFIA.Storage;
using UCoFIA.Tests.Shared;

namespace UCoFIA.Service.Tests.Features;

/// <summary>
/// <c>ucofia reindex</c> on real galleries: uploaded through a service, re-encoded with the service stopped, then
/// served again. Each test has its own database and data folder.
/// </summary>
public sealed class ReindexTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Shorter = new() { ["Ingest:SegmentSeconds"] = "8", ["Ingest:SegmentStrideSeconds"] = "4" };

    private readonly ReindexGallery _gallery = new();

    public Task InitializeAsync() => _gallery.InitializeAsync();

    public Task DisposeAsync() => _gallery.DisposeAsync();

    [Fact]
    public async Task Reindex_ShorterSegments_CutsEveryVideoAgainAndSearchFindsTheSceneInANewSegment()
    {
        // The shipped model, which tells a red scene from grey-blue ones (LongVideoTests); F = 8.
        var shipped = Path.Combine(Architecture.ServiceFoldersTests.RepositoryRoot(), "models", "default");
        var frames = UCoFIAConfig.Load(Path.Combine(shipped, UCoFIAModel.ConfigFile)).Alignment.NumFrames;
        var clips = new List<byte[]>();
        for (var i = 0; i < 4; i++)
        {
            clips.Add(await TestVideos.Mp4Async((byte)(10 * i), (byte)(60 + 5 * i), (byte)(120 + 6 * i)));
        }
        // A minute of grey-blue at one frame per second, red from 36 s to 46 s.
        clips.Add(await TestVideos.FromFramesAsync(Enumerable.Range(0, 60).Select(t => t is >= 36 and < 46
            ? TestVideos.Solid(64, 230, 20, 20)
            : TestVideos.Solid(64, (byte)(40 + t % 60), (byte)(70 + t % 50), (byte)(150 + t % 40))).ToList(), 64, 1));
        var ids = await _gallery.IngestAsync(clips, new Dictionary<string, string?> { ["Model:Path"] = shipped });
        var minute = ids[^1];
        var before = await _gallery.SegmentIdsAsync();
        var settings = new Dictionary<string, string?>(Shorter) { ["Model:Path"] = shipped };

        var report = await _gallery.ReindexAsync(settings);

        Assert.True(report.Finished);
        Assert.False(report.ModelChanges);
        Assert.Equal(5, report.Reencoded);
        var duration = await _gallery.ScalarAsync<double>("SELECT duration_s FROM videos WHERE id = @id", minute);
        var plan = SegmentPlan.For(duration, frames, 8, 4);
        var after = await _gallery.SegmentIdsAsync();
        Assert.Equal(SegmentPlan.For(duration, frames, 16, 12).Windows.Count, before[minute].Count);
        Assert.Equal(plan.Windows.Count, after[minute].Count);
        Assert.Empty(after[minute].Intersect(before[minute]));
        Assert.Equal(plan.Samples, await _gallery.ScalarAsync<int>("SELECT frame_count FROM videos WHERE id = @id", minute));
        Assert.Equal(plan.Samples, await _gallery.ScalarAsync<long>("SELECT count(*) FROM video_thumbnails WHERE video_id = @id", minute));
        Assert.Equal(0L, await _gallery.ScalarAsync<long>("SELECT count(*) FROM reindex"));

        await using var service = _gallery.Service(settings);
        using var client = service.CreateClient();
        var top = (await client.SearchByImageAsync(TestVideos.SolidJpeg(64, 230, 20, 20))).GetProperty("results")[0];
        var best = top.GetProperty("bestSegment");
        Assert.Equal(minute, top.GetProperty("videoId").GetGuid());
        Assert.True(best.GetProperty("end").GetDouble() - best.GetProperty("start").GetDouble() <= 8 + 1e-6, $"best segment {best} is not one of the 8 s ones");
        Assert.True(best.GetProperty("start").GetDouble() < 46 && best.GetProperty("end").GetDouble() > 36, $"best segment {best} misses the red scene at 36–46 s");
    }

    [Fact]
    public async Task Reindex_InterruptedAfterTheFirstVideo_RerunReencodesEachOtherVideoOnce()
    {
        var ids = await _gallery.IngestAsync([await ClipAsync(40, 200), await TestVideos.Mp4Async(200, 40, 40), await ClipAsync(30, 100)]);
        await _gallery.InterruptAfterFirstVideoAsync(Shorter);
        var interrupted = await _gallery.SegmentIdsAsync();
        Assert.Equal(1L, await _gallery.ScalarAsync<long>("SELECT count(*) FROM reindex_done"));

        var events = new List<ReindexProgress>();
        var report = await _gallery.ReindexAsync(Shorter, progress: events.Add);

        Assert.True(report.Finished);
        Assert.Equal((2, 1L), (report.Reencoded, report.Resumed));
        Assert.Contains("1 of 3 videos were re-encoded by an earlier run", events[0].Message);
        Assert.Contains(events, e => e.Stage == "videos" && e.Done == 2 && e.Total == 3 && e.Remaining is not null);
        var after = await _gallery.SegmentIdsAsync();
        Assert.Equal(interrupted[ids[0]], after[ids[0]]); // the first video was not encoded again
        foreach (var id in ids)
        {
            var plan = SegmentPlan.For(await _gallery.ScalarAsync<double>("SELECT duration_s FROM videos WHERE id = @id", id), 4, 8, 4);
            Assert.Equal(plan.Windows.Count, after[id].Count);
            Assert.Equal(plan.Windows.Sum(w => w.Count), await _gallery.ScalarAsync<long>("SELECT count(*) FROM video_frames WHERE video_id = @id", id));
            Assert.Equal(plan.Samples, await _gallery.ScalarAsync<long>("SELECT count(*) FROM video_thumbnails WHERE video_id = @id", id));
        }
        Assert.Equal(0L, await _gallery.ScalarAsync<long>("SELECT (SELECT count(*) FROM reindex) + (SELECT count(*) FROM reindex_done)"));
    }

    [Fact]
    public async Task Start_WhileAReindexIsUnderWay_RefusesAndSaysHowToFinishIt()
    {
        await _gallery.IngestAsync([await ClipAsync(40, 200), await TestVideos.Mp4Async(200, 40, 40)]);
        await _gallery.InterruptAfterFirstVideoAsync(Shorter);

        await using (var service = _gallery.Service(Shorter))
        {
            var refusal = Assert.IsType<GalleryReindexingException>(Unwrap(Assert.ThrowsAny<Exception>(() => service.CreateClient())));
            Assert.Contains("`ucofia reindex`", refusal.Message);
            Assert.Contains("segments of 8 s every 4 s", refusal.Message);
            Assert.Contains("1 of 2 videos done", refusal.Message);
            Assert.Contains("Run the same `ucofia reindex` command again", refusal.Message);
        }

        Assert.True((await _gallery.ReindexAsync(Shorter)).Finished);
        await using var restarted = _gallery.Service(Shorter);
        using var client = restarted.CreateClient();
        Assert.Equal(2, (await (await client.GetAsync("/api/videos")).JsonAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Reindex_NewModelWithVideosWithoutOriginals_StopsShortUntilTheyAreDroppedThenRebinds()
    {
        var (kept, missing, notKept) = (await TestVideos.Mp4Async(200, 40, 40), await TestVideos.Mp4Async(40, 200, 40), await TestVideos.Mp4Async(40, 40, 200));
        // The budget holds the first two originals, not the third.
        var budget = (kept.Length + missing.Length + notKept.Length / 2).ToString(CultureInfo.InvariantCulture);
        var ids = await _gallery.IngestAsync([kept, missing, notKept], new Dictionary<string, string?> { ["Storage:OriginalsBudgetBytes"] = budget });
        File.Delete(_gallery.OriginalPath(ids[1]));
        var model = _gallery.WriteOtherModel();
        var console = new TestConsole();
        console.Profile.Width = 1000;

        var stopped = await ReindexCommand.RunAsync(_gallery.Settings(new Dictionary<string, string?> { ["Model:Path"] = model }), new ReindexRequest(), console, CancellationToken.None);

        Assert.Equal(ReindexExit.Unfinished, stopped);
        Assert.Contains("2 no original to re-encode from:", console.Output);
        Assert.Contains($"{ids[1]} clip 1: its original is missing on disk (expected at {_gallery.OriginalPath(ids[1])}", console.Output);
        Assert.Contains($"{ids[2]} clip 2: its original was not kept", console.Output);
        Assert.Contains("--drop-unrecoverable", console.Output);
        Assert.Equal((3L, 1L), (await _gallery.ScalarAsync<long>("SELECT count(*) FROM videos"), await _gallery.ScalarAsync<long>("SELECT count(*) FROM reindex")));

        var dropped = await new RootCommand { ReindexCommand.Create() }.Parse([
            "reindex", "--connection", _gallery.Factory.Database.ConnectionString, "--model", model, "--device", "cpu",
            "--data", _gallery.Factory.DataDirectory, "--drop-unrecoverable",
        ]).InvokeAsync();

        Assert.Equal((int)ReindexExit.Finished, dropped);
        Assert.Equal(ids[0], await _gallery.ScalarAsync<Guid>("SELECT id FROM videos"));
        Assert.Equal(ModelFingerprint.Of(model), await _gallery.ScalarAsync<string>("SELECT value FROM schema_settings WHERE key = 'model_fingerprint'"));
        await using (var service = _gallery.Service(new Dictionary<string, string?> { ["Model:Path"] = model }))
        {
            using var client = service.CreateClient();
            Assert.Equal(1, (await (await client.GetAsync("/api/videos")).JsonAsync()).GetProperty("total").GetInt32());
        }
        await using var old = _gallery.Service();
        Assert.IsType<GalleryModelMismatchException>(Unwrap(Assert.ThrowsAny<Exception>(() => old.CreateClient())));
    }

    [Fact]
    public async Task Reindex_NewModel_EncodesTheCaptionsWithItRefitsAndRebinds()
    {
        var ids = await _gallery.IngestAsync(
            [await TestVideos.Mp4Async(200, 40, 40), await TestVideos.Mp4Async(40, 200, 40), await TestVideos.Mp4Async(40, 40, 200)],
            captions: ["a red circle moves left"]);
        var fits = new SkFitRepository(_gallery.DataSource);
        var fitBefore = (await fits.GetAsync(SkGallery.Videos, CancellationToken.None)).Version;
        var model = _gallery.WriteOtherModel();

        var report = await _gallery.ReindexAsync(new Dictionary<string, string?> { ["Model:Path"] = model });

        Assert.True(report.Finished);
        Assert.True(report.ModelChanges);
        Assert.Equal((3, 3L), (report.Reencoded, report.Captions));
        Assert.Equal(ModelFingerprint.Of(model), await _gallery.ScalarAsync<string>("SELECT value FROM schema_settings WHERE key = 'model_fingerprint'"));
        var captionRepository = new CaptionRepository(_gallery.DataSource);
        var stored = await captionRepository.LoadAsync([.. await captionRepository.AllIdsAsync(CancellationToken.None)], CancellationToken.None);
        using (var loaded = UCoFIAModel.Load(model, "cpu"))
        {
            var expected = FeatureTensors.EncodeTexts(loaded, stored.Select(c => c.Text).ToList());
            for (var i = 0; i < stored.Count; i++)
            {
                Assert.All(stored[i].Sentence.Zip(expected[i].Sentence), p => Assert.InRange(p.First, p.Second - 2e-3f, p.Second + 2e-3f)); // halfvec
            }
        }
        var videoFit = await fits.GetAsync(SkGallery.Videos, CancellationToken.None);
        Assert.True(videoFit.Version > fitBefore);
        Assert.Equal(3, videoFit.GallerySize);
        Assert.Empty(await fits.StaleIdsAsync(SkGallery.Videos, videoFit.Version, CancellationToken.None));
        Assert.Empty(await fits.StaleIdsAsync(SkGallery.Captions, (await fits.GetAsync(SkGallery.Captions, CancellationToken.None)).Version, CancellationToken.None));

        await using var service = _gallery.Service(new Dictionary<string, string?> { ["Model:Path"] = model });
        using var client = service.CreateClient();
        using var lookup = await client.PostAsJsonAsync("/api/search/captions", new { videoId = ids[0], topK = 3 });
        var captions = (await lookup.JsonAsync()).GetProperty("results");
        Assert.Equal(3, captions.GetArrayLength());
    }

    [Theory]
    [InlineData(new string[0], "it has no config.json")]
    [InlineData(new[] { "config.json", "vocab.json", "merges.txt" }, "does not load: No checkpoint in")]
    public async Task Reindex_UnusableModelFolder_FailsSayingWhyAndChangesNothing(string[] files, string expected)
    {
        await _gallery.IngestAsync([await TestVideos.Mp4Async(200, 40, 40)]);
        var folder = Path.Combine(_gallery.Factory.DataDirectory, "not-a-model");
        Directory.CreateDirectory(folder);
        foreach (var file in files)
        {
            File.Copy(Path.Combine(_gallery.Factory.ModelPath, file), Path.Combine(folder, file));
        }
        var before = await DatabaseCounts.RowCountsAsync(_gallery.DataSource, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ReindexException>(() => _gallery.ReindexAsync(new Dictionary<string, string?> { ["Model:Path"] = folder }));

        Assert.Contains(expected, error.Message);
        Assert.Equal(before, await DatabaseCounts.RowCountsAsync(_gallery.DataSource, CancellationToken.None));
    }

    [Fact]
    public async Task Reindex_WhileTheServiceRuns_RefusesAndMarksNothing()
    {
        await using var service = _gallery.Service();
        using var client = service.CreateClient();
        await client.IngestAsync(await TestVideos.Mp4Async(200, 40, 40));

        var error = await Assert.ThrowsAsync<ReindexException>(() => _gallery.ReindexAsync(Shorter));

        Assert.Contains("A UCoFIA service is running on this database", error.Message);
        Assert.Equal(0L, await _gallery.ScalarAsync<long>("SELECT count(*) FROM reindex"));
    }

    [Fact]
    public async Task Reindex_OtherSettingsWhileOneIsUnderWay_RefusesUnlessRestarted()
    {
        var ids = await _gallery.IngestAsync([await ClipAsync(40, 200), await ClipAsync(30, 100)]);
        await _gallery.InterruptAfterFirstVideoAsync(Shorter);
        var other = new Dictionary<string, string?> { ["Ingest:SegmentSeconds"] = "10", ["Ingest:SegmentStrideSeconds"] = "5" };

        var error = await Assert.ThrowsAsync<ReindexException>(() => _gallery.ReindexAsync(other));
        Assert.Contains("segments of 8 s every 4 s is under way", error.Message);
        Assert.Contains("--restart", error.Message);
        var report = await _gallery.ReindexAsync(other, new ReindexRequest(Restart: true));

        Assert.True(report.Finished);
        Assert.Equal((2, 0L), (report.Reencoded, report.Resumed));
        var segments = await _gallery.SegmentIdsAsync();
        foreach (var id in ids)
        {
            var duration = await _gallery.ScalarAsync<double>("SELECT duration_s FROM videos WHERE id = @id", id);
            Assert.Equal(SegmentPlan.For(duration, 4, 10, 5).Windows.Count, segments[id].Count);
        }
    }

    /// <summary>A clip of <paramref name="seconds"/> at two frames per second, longer than a segment.</summary>
    private static Task<byte[]> ClipAsync(int seconds, byte blue) => TestVideos.Mp4Async(40, 90, blue, frames: 2 * seconds, fps: 2);

    private static Exception Unwrap(Exception error) =>
        error is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : error;
}
