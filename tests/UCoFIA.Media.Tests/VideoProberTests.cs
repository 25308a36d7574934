using FFMpegCore;

namespace UCoFIA.Media.Tests;

public sealed class VideoProberTests(TestVideos videos) : IClassFixture<TestVideos>
{
    [Fact]
    public async Task ProbeAsync_GeneratedMp4_ReportsDurationRateSizeAndCodec()
    {
        var probe = await VideoProber.ProbeAsync(videos.Greys, CancellationToken.None);

        Assert.Equal(2.0, probe.DurationSeconds, precision: 1);
        Assert.Equal(TestVideos.Fps, probe.FramesPerSecond, precision: 3);
        Assert.Equal((TestVideos.Size, TestVideos.Size), (probe.Width, probe.Height));
        Assert.Equal("h264", probe.Codec);
    }

    [Fact]
    public async Task ProbeAsync_QuarterTurnRotatedMp4_ReportsUprightFrameSize()
    {
        var source = videos.NewPath("wide.mp4");
        var rotated = videos.NewPath("rotated.mp4");
        await FFMpegArguments.FromFileInput("testsrc=size=320x240:duration=1", verifyExists: false, input => input.WithCustomArgument("-f lavfi"))
            .OutputToFile(source, overwrite: true, output => output.WithCustomArgument("-pix_fmt yuv420p"))
            .ProcessAsynchronously();
        await FFMpegArguments.FromFileInput(source)
            .OutputToFile(rotated, overwrite: true, output => output.WithCustomArgument("-c copy -metadata:s:v:0 rotate=90"))
            .ProcessAsynchronously();

        var probe = await VideoProber.ProbeAsync(rotated, CancellationToken.None);

        // Decoding turns the stored 320×240 picture upright, so frames reach the filters as 240×320.
        Assert.Equal((240, 320), (probe.Width, probe.Height));
    }

    [Fact]
    public async Task ProbeAsync_TextFileNamedMp4_ThrowsNotAVideo()
    {
        var path = videos.NewPath("notes.mp4");
        await File.WriteAllTextAsync(path, "Good morning, these are meeting notes, not a video.");

        var error = await Assert.ThrowsAsync<MediaException>(() => VideoProber.ProbeAsync(path, CancellationToken.None));

        Assert.Equal(MediaException.NotAVideo, error.Code);
        Assert.StartsWith("The file is not a video", error.Message);
    }

    [Fact]
    public async Task ProbeAsync_AudioOnlyMp4_ThrowsNotAVideoNamingTheMissingStream()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() => VideoProber.ProbeAsync(videos.AudioOnly, CancellationToken.None));

        Assert.Equal(MediaException.NotAVideo, error.Code);
        Assert.Equal("The file is not a video: no video stream found", error.Message);
    }

    [Fact]
    public async Task ProbeAsync_ZeroByteFile_ThrowsNotAVideo()
    {
        var path = videos.NewPath("empty.mp4");
        await File.WriteAllBytesAsync(path, []);

        var error = await Assert.ThrowsAsync<MediaException>(() => VideoProber.ProbeAsync(path, CancellationToken.None));

        Assert.Equal(MediaException.NotAVideo, error.Code);
    }

    [Fact]
    public async Task ProbeAsync_TruncatedMp4_ThrowsCorruptVideoWithoutServerPath()
    {
        var bytes = await File.ReadAllBytesAsync(videos.Greys);
        var path = videos.NewPath("truncated.mp4");
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);

        var error = await Assert.ThrowsAsync<MediaException>(() => VideoProber.ProbeAsync(path, CancellationToken.None));

        Assert.Equal(MediaException.CorruptVideo, error.Code);
        Assert.StartsWith("The file could not be decoded: ", error.Message);
        Assert.DoesNotContain(Path.GetDirectoryName(path)!, error.Message);
    }

    [Fact]
    public async Task ProbeAsync_PathWithDoubleQuote_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => VideoProber.ProbeAsync(videos.NewPath("a\" -y \"b.mp4"), CancellationToken.None));
    }
}
