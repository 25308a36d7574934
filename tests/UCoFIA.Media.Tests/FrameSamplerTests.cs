using UCoFIA.Media.Synthetic;

namespace UCoFIA.Media.Tests;

public sealed class FrameSamplerTests(TestVideos videos) : IClassFixture<TestVideos>
{
    private const int ImageSize = 32;

    private static readonly FrameSamplingOptions EightFrames = new(FrameCount: 8, ImageSize, TimeSpan.FromSeconds(30));

    private static float NormalisedValue(byte value, int channel) =>
        (value / 255f - ClipPreprocessor.Mean[channel]) / ClipPreprocessor.Std[channel];

    private static async Task<SampledFrames> SampleAsync(string path, FrameSamplingOptions options)
    {
        var probe = await VideoProber.ProbeAsync(path, CancellationToken.None);
        return await FrameSampler.SampleAsync(path, probe, options, CancellationToken.None);
    }

    [Fact]
    public async Task SampleAsync_TwentyFrameVideo_ReturnsEightFramesUniformlyInTime()
    {
        var frames = await SampleAsync(videos.Greys, EightFrames);

        Assert.Equal(8, frames.FrameCount);
        Assert.Equal(8 * 3 * ImageSize * ImageSize, frames.Pixels.Length);
        Assert.Equal(8, frames.TimestampsSeconds.Length);
        // 2 s in 8 bins of 0.25 s; the first 0.1 s frame of each bin is kept.
        var gaps = frames.TimestampsSeconds.Zip(frames.TimestampsSeconds.Skip(1), (a, b) => b - a).ToArray();
        Assert.All(gaps, gap => Assert.InRange(gap, 0.15, 0.35));
        Assert.InRange(frames.TimestampsSeconds[0], 0, 0.1);
        Assert.InRange(frames.TimestampsSeconds[^1], 1.6, 2.0);
    }

    [Fact]
    public async Task SampleAsync_TwentyFrameVideo_FramesMatchTheirTimestamps()
    {
        var frames = await SampleAsync(videos.Greys, EightFrames);

        // Frame i of the source has grey level 12·i and starts at i / 10 s.
        for (var f = 0; f < frames.FrameCount; f++)
        {
            var sourceIndex = (int)Math.Round(frames.TimestampsSeconds[f] * TestVideos.Fps);
            Assert.InRange(TestVideos.Rgb(frames, f)[0], TestVideos.GreyLevel(sourceIndex) - 4, TestVideos.GreyLevel(sourceIndex) + 4);
        }

        var lowest = Enumerable.Range(0, 3).Min(c => NormalisedValue(0, c));
        var highest = Enumerable.Range(0, 3).Max(c => NormalisedValue(255, c));
        Assert.All(frames.Pixels, value => Assert.InRange(value, lowest, highest));
    }

    /// <summary>12 frames at 12 fps in 12 bins: every frame starts a bin exactly, where floating point once put one
    /// just below its bin and dropped it as a second frame of the bin before (11 frames came back).</summary>
    [Fact]
    public async Task SampleAsync_AsManyBinsAsFrames_ReturnsEverySourceFrameOnce()
    {
        const int count = 12;
        var path = Path.Combine(Path.GetTempPath(), $"ucofia-bins-{Guid.NewGuid():N}.mp4");
        try
        {
            var greys = Enumerable.Range(0, count).Select(i => TestVideos.Solid(TestVideos.GreyLevel(i), TestVideos.GreyLevel(i), TestVideos.GreyLevel(i))).ToArray();
            await Mp4Writer.WriteAsync(greys, TestVideos.Size, count, path, CancellationToken.None);

            var frames = await SampleAsync(path, EightFrames with { FrameCount = count });

            Assert.Equal(count, frames.FrameCount);
                for (var f = 0; f < count; f++)
            {
                Assert.InRange(TestVideos.Rgb(frames, f)[0], TestVideos.GreyLevel(f) - 4, TestVideos.GreyLevel(f) + 4);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task SampleAsync_WithThumbnailWidth_GivesOneJpegOfThatWidthPerFrameWithTheAspectKept()
    {
        var path = await TestPatternAsync(160, 90);

        var frames = await SampleAsync(path, EightFrames with { ThumbnailWidth = 320 });

        Assert.Equal(8, frames.FrameCount);
        Assert.NotNull(frames.Thumbnails);
        Assert.Equal(frames.FrameCount, frames.Thumbnails.Count);
        Assert.All(frames.Thumbnails, jpeg => Assert.Equal((320, 180), JpegSize(jpeg)));
    }

    [Fact]
    public async Task SampleAsync_TallStrip_GivesThumbnailsAtMostFourWidthsTall()
    {
        var path = await TestPatternAsync(16, 4000);

        var frames = await SampleAsync(path, EightFrames with { ThumbnailWidth = 320 });

        Assert.NotNull(frames.Thumbnails);
        Assert.All(frames.Thumbnails, jpeg => Assert.Equal(320 * FrameSamplingOptions.MaxThumbnailTallness, JpegSize(jpeg).Height));
    }

    /// <summary>A 2 s clip of ffmpeg's test pattern at this size.</summary>
    private async Task<string> TestPatternAsync(int width, int height)
    {
        var path = videos.NewPath($"pattern-{width}x{height}.mp4");
        await FFMpegCore.FFMpegArguments
            .FromFileInput($"testsrc2=size={width}x{height}:rate=10:duration=2", verifyExists: false, input => input.ForceFormat("lavfi"))
            .OutputToFile(path, overwrite: true, output => output.WithCustomArgument("-pix_fmt yuv420p"))
            .ProcessAsynchronously(throwOnError: true);
        return path;
    }

    [Fact]
    public async Task SampleAsync_WithoutThumbnailWidth_GivesNoThumbnails()
    {
        var frames = await SampleAsync(videos.Greys, EightFrames);

        Assert.Null(frames.Thumbnails);
    }

    /// <summary>Width and height from a baseline or progressive JPEG's start-of-frame segment.</summary>
    private static (int Width, int Height) JpegSize(byte[] jpeg)
    {
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, jpeg[..2]);
        for (var i = 2; i + 8 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC2)
            {
                return ((jpeg[i + 7] << 8) | jpeg[i + 8], (jpeg[i + 5] << 8) | jpeg[i + 6]);
            }
        }
        throw new InvalidDataException("no start-of-frame segment");
    }

    [Fact]
    public async Task SampleAsync_SolidRedVideo_DecodesToNormalisedRed()
    {
        var frames = await SampleAsync(videos.SolidRed, EightFrames);

        var plane = ImageSize * ImageSize;
        var centre = ImageSize / 2 * ImageSize + ImageSize / 2;
        // H.264 stores colour as 4:2:0 YUV, so a few levels of error per channel are expected.
        Assert.Equal(NormalisedValue(255, 0), frames.Pixels[centre], tolerance: 0.1);
        Assert.Equal(NormalisedValue(0, 1), frames.Pixels[plane + centre], tolerance: 0.1);
        Assert.Equal(NormalisedValue(0, 2), frames.Pixels[2 * plane + centre], tolerance: 0.1);
    }

    [Fact]
    public async Task SampleAsync_OneFrameVideo_ReturnsTheOneFrame()
    {
        var frames = await SampleAsync(videos.OneFrame, EightFrames);

        Assert.Equal(1, frames.FrameCount);
        Assert.Equal(3 * ImageSize * ImageSize, frames.Pixels.Length);
        Assert.Equal([0.0], frames.TimestampsSeconds);
    }

    [Fact]
    public async Task SampleAsync_PathWithSpacesQuotesAndShellSyntax_DecodesTheFileLiterally()
    {
        var folder = Directory.CreateDirectory(videos.NewPath("a folder; $(touch pwned)")).FullName;
        var path = Path.Combine(folder, "it's `red` & -y.mp4");
        File.Copy(videos.SolidRed, path);

        var frames = await SampleAsync(path, EightFrames);

        Assert.Equal(8, frames.FrameCount);
        Assert.False(File.Exists("pwned"));
    }

    [Fact]
    public async Task SampleAsync_TinyTimeout_ThrowsDecodeTimeout()
    {
        var probe = await VideoProber.ProbeAsync(videos.Greys, CancellationToken.None);

        var error = await Assert.ThrowsAsync<MediaException>(() =>
            FrameSampler.SampleAsync(videos.Greys, probe, EightFrames with { Timeout = TimeSpan.FromMilliseconds(1) }, CancellationToken.None));

        Assert.Equal(MediaException.DecodeTimeout, error.Code);
    }

    [Fact]
    public async Task SampleAsync_CancelledByCaller_ThrowsOperationCanceled()
    {
        var probe = await VideoProber.ProbeAsync(videos.Greys, CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            FrameSampler.SampleAsync(videos.Greys, probe, EightFrames, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task SampleAsync_TruncatedAfterHeader_ThrowsCorruptVideo()
    {
        var probe = await VideoProber.ProbeAsync(videos.Greys, CancellationToken.None);
        var path = videos.NewPath("no-frames.mp4");
        // Keep only the first bytes: the probe above stands in for a file that changed after probing.
        await File.WriteAllBytesAsync(path, (await File.ReadAllBytesAsync(videos.Greys))[..64]);

        var error = await Assert.ThrowsAsync<MediaException>(() => FrameSampler.SampleAsync(path, probe, EightFrames, CancellationToken.None));

        Assert.Equal(MediaException.CorruptVideo, error.Code);
    }
}
