using FFMpegCore;
using UCoFIA.Media.Synthetic;

namespace UCoFIA.Media.Tests;

/// <summary>Small MP4 files written with the real encoder into a temporary folder shared by a test class.</summary>
public sealed class TestVideos : IAsyncLifetime
{
    public const int Size = 64;
    public const int GreyFrameCount = 20;
    public const double Fps = 10;

    private readonly string _folder = Directory.CreateTempSubdirectory("ucofia-media-").FullName;

    /// <summary>20 frames at 10 fps whose grey level rises by 12 per frame, so a frame's value tells its index.</summary>
    public string Greys => Path.Combine(_folder, "greys.mp4");

    public string SolidRed => Path.Combine(_folder, "red.mp4");

    public string OneFrame => Path.Combine(_folder, "one-frame.mp4");

    /// <summary>An MP4 holding one second of a sine tone and no picture.</summary>
    public string AudioOnly => Path.Combine(_folder, "audio-only.mp4");

    public static byte[] Solid(byte r, byte g, byte b)
    {
        var frame = new byte[Size * Size * 3];
        for (var p = 0; p < frame.Length; p += 3)
        {
            (frame[p], frame[p + 1], frame[p + 2]) = (r, g, b);
        }

        return frame;
    }

    public static byte GreyLevel(int frameIndex) => (byte)(12 * frameIndex);

    public string NewPath(string name) => Path.Combine(_folder, name);

    public async Task InitializeAsync()
    {
        var greys = Enumerable.Range(0, GreyFrameCount).Select(i => Solid(GreyLevel(i), GreyLevel(i), GreyLevel(i))).ToArray();
        await Mp4Writer.WriteAsync(greys, Size, Fps, Greys, CancellationToken.None);
        await Mp4Writer.WriteAsync(Enumerable.Repeat(Solid(255, 0, 0), 10).ToArray(), Size, Fps, SolidRed, CancellationToken.None);
        await Mp4Writer.WriteAsync([Solid(0, 0, 255)], Size, Fps, OneFrame, CancellationToken.None);
        await FFMpegArguments
            .FromFileInput("sine=duration=1", verifyExists: false, input => input.WithCustomArgument("-f lavfi"))
            .OutputToFile(AudioOnly, overwrite: true, output => output.WithCustomArgument("-c:a aac"))
            .ProcessAsynchronously();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <returns>[S, S, 3] rgb24 of frame <paramref name="f"/>, recovered from the CLIP-normalised pixels the sampler returns.</returns>
    public static byte[] Rgb(SampledFrames frames, int f)
    {
        var area = frames.ImageSize * frames.ImageSize;
        var rgb = new byte[3 * area];
        for (var c = 0; c < 3; c++)
        {
            for (var p = 0; p < area; p++)
            {
                var value = frames.Pixels[(f * 3 + c) * area + p] * ClipPreprocessor.Std[c] + ClipPreprocessor.Mean[c];
                rgb[3 * p + c] = (byte)Math.Clamp(Math.Round(value * 255), 0, 255);
            }
        }
        return rgb;
    }
}
