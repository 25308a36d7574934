using FFMpegCore;
using FFMpegCore.Pipes;

namespace UCoFIA.Media.Synthetic;

/// <summary>
/// Encodes rgb24 frames to an H.264 MP4 by piping raw video into ffmpeg. Bit-exact flags, a single
/// encoder thread and no metadata make the bytes a function of the frames alone, so a seeded corpus
/// is reproducible file for file.
/// </summary>
public static class Mp4Writer
{
    private const string EncoderArguments =
        "-c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p -threads 1 -fflags +bitexact -flags:v +bitexact -map_metadata -1 -f mp4";

    public static async Task WriteAsync(IReadOnlyList<byte[]> frames, int size, double fps, string path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentOutOfRangeException.ThrowIfZero(frames.Count, nameof(frames));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        // yuv420p stores colour at half resolution, so both sides must be even.
        if (size <= 0 || size % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The frame size must be a positive even number.");
        }

        if (frames.Any(frame => frame.Length != 3 * size * size))
        {
            throw new ArgumentException($"Every frame must hold {3 * size * size} rgb24 bytes.", nameof(frames));
        }

        var source = new RawVideoPipeSource(frames.Select(frame => new Rgb24Frame(frame, size))) { FrameRate = fps };
        var fullPath = Path.GetFullPath(path);
        await FFMpegArguments
            .FromPipeInput(source)
            .OutputToFile(fullPath, overwrite: true, output => output
                .WithCustomArgument(EncoderArguments))
            .CancellableThrough(ct, TimeSpan.Zero)
            .ProcessAsynchronously(throwOnError: true, null, ct);
    }
}
