using System.Text.Json;
using UCoFIA.Media.Synthetic;

namespace UCoFIA.Media.Tests.Synthetic;

public sealed class CorpusWriterTests : IDisposable
{
    private static readonly CorpusOptions Tiny = new(TrainCount: 2, ValidationCount: 1, TestCount: 1, HardGroups: 1, HardGroupSize: 2, CaptionsPerVideo: 2, FrameCount: 24, ImageSize: 64, FramesPerSecond: 8);

    private readonly string _folder = Directory.CreateTempSubdirectory("ucofia-corpus-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task WriteAsync_TinyCorpus_WritesOneVideoPerClipAndOneLinePerCaption()
    {
        var corpus = new CorpusGenerator(seed: 11).Generate(Tiny);

        await CorpusWriter.WriteAsync(corpus, Tiny, _folder, CancellationToken.None);

        var lines = (await File.ReadAllLinesAsync(Path.Combine(_folder, CorpusWriter.CaptionsFile)))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToArray();
        Assert.Equal(corpus.All.Sum(i => i.Captions.Count), lines.Length);
        Assert.Equal(corpus.All.SelectMany(i => i.Captions), lines.Select(l => l.GetProperty("caption").GetString()));
        Assert.All(lines, l => Assert.True(File.Exists(Path.Combine(_folder, l.GetProperty("video").GetString()!))));
        Assert.Equal(["train", "validation", "test", "hard-test"], lines.Select(l => l.GetProperty("split").GetString()).Distinct());
        Assert.All(lines.Where(l => l.GetProperty("split").GetString() == "hard-test"), l => Assert.Equal("hard-test-0000", l.GetProperty("group").GetString()));
        Assert.DoesNotContain(lines.Where(l => l.GetProperty("split").GetString() == "train"), l => l.TryGetProperty("group", out _));
    }

    [Fact]
    public async Task WriteAsync_EncodedClip_SamplesToTheDirectlyRenderedFrames()
    {
        var corpus = new CorpusGenerator(seed: 11).Generate(Tiny with { ValidationCount = 0, TestCount = 0, HardGroups = 0 });
        await CorpusWriter.WriteAsync(corpus, Tiny, _folder, CancellationToken.None);
        var item = corpus.Train[0];
        var path = Path.Combine(_folder, CorpusWriter.VideoPath(item));

        var probe = await VideoProber.ProbeAsync(path, CancellationToken.None);
        var sampled = await FrameSampler.SampleAsync(path, probe, new FrameSamplingOptions(8, 64, TimeSpan.FromSeconds(30)), CancellationToken.None);
        var rendered = SceneRenderer.RenderNormalized(item.Scene, frameCount: 8, size: 64);

        Assert.Equal(3.0, probe.DurationSeconds, precision: 1);
        Assert.Equal(8, sampled.FrameCount);
        // H.264 blurs colour edges (4:2:0), so compare on average rather than pixel by pixel.
        var meanError = sampled.Pixels.Zip(rendered, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanError, 0, 0.1);
    }

    [Fact]
    public async Task WriteAsync_SameFrames_SameMp4Bytes()
    {
        var frames = SceneRenderer.Render(new CorpusGenerator(seed: 5).Generate(Tiny).Train[0].Scene, 24, 64);
        var first = Path.Combine(_folder, "a.mp4");
        var second = Path.Combine(_folder, "b.mp4");

        await Mp4Writer.WriteAsync(frames, 64, 8, first, CancellationToken.None);
        await Mp4Writer.WriteAsync(frames, 64, 8, second, CancellationToken.None);

        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
    }
}
