using System.Diagnostics;
using System.Text;

namespace UCoFIA.Service.Tests.Reliability;

/// <summary>
/// Hostile and odd media made once per test process with ffmpeg's lavfi sources: valid clips at extreme sizes and
/// frame rates, audio-only files, and corrupted copies of one small valid MP4.
/// </summary>
public static class Media
{
    private static readonly Lazy<Task<IReadOnlyDictionary<string, byte[]>>> Files = new(GenerateAsync);

    public static Task<IReadOnlyDictionary<string, byte[]>> AllAsync() => Files.Value;

    public static async Task<byte[]> GetAsync(string name) => (await AllAsync())[name];

    /// <summary>Offsets (fractions of the file) at which the base MP4 is cut.</summary>
    public static readonly double[] CutFractions = [0.001, 0.01, 0.05, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.95, 0.99];

    /// <summary>Bytes of the first box's size that are flipped (flipping its type tag leaves a readable file: see OddUploadTests).</summary>
    public static readonly int[] HeaderFlips = [0, 1, 2, 3];

    /// <summary>Synthetic clip with a distinct colour per seed, so every accepted upload has its own bytes.</summary>
    public static Task<byte[]> UniqueClipAsync(int seed) =>
        TestVideos.Mp4Async((byte)(seed * 37 % 256), (byte)(seed * 91 % 256), (byte)(seed * 53 % 256), frames: 6, size: 32);

    private static async Task<IReadOnlyDictionary<string, byte[]>> GenerateAsync()
    {
        var dir = Directory.CreateTempSubdirectory("ucofia-reliability-media-").FullName;
        try
        {
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            async Task Make(string name, params string[] args)
            {
                var path = Path.Combine(dir, name);
                await FfmpegAsync([.. args, path]);
                files[name] = await File.ReadAllBytesAsync(path);
            }
            string[] Video(string size, string rate, string duration) =>
                ["-f", "lavfi", "-i", $"testsrc=size={size}:rate={rate}", "-t", duration, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];

            await Make("base.mp4", Video("64x64", "6", "2"));
            await Make("s16x16.mp4", Video("16x16", "6", "1"));
            await Make("s2x2.mp4", Video("2x2", "6", "1"));
            await Make("s4000x16.mp4", Video("4000x16", "6", "1"));
            await Make("s16x4000.mp4", Video("16x4000", "6", "1"));
            await Make("r1000.mp4", Video("64x64", "1000", "0.2"));
            await Make("r0.5.mp4", Video("64x64", "0.5", "6"));
            await Make("oneframe.mp4", ["-f", "lavfi", "-i", "testsrc=size=64x64:rate=6", "-frames:v", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p"]);
            await Make("long3s.mp4", Video("32x32", "2", "3"));
            await Make("audio.mp4", ["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "1", "-c:a", "aac", "-f", "mp4"]);
            await Make("audio.wav", ["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "1", "-f", "wav"]);
            await Make("image.png", ["-f", "lavfi", "-i", "testsrc=size=64x64:rate=1", "-frames:v", "1", "-f", "image2", "-c:v", "png"]);
            return files;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task FfmpegAsync(string[] args)
    {
        // Arguments are passed as a list, never through a shell.
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["-v", "error", "-y", .. args])
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed: {await error}");
        }
    }

    /// <summary>Cuts the file at a fraction of the way to its index ('moov' box, written last by ffmpeg), so the index is always lost.</summary>
    public static byte[] Cut(byte[] bytes, double fraction) => bytes[..Math.Max(12, (int)(MoovOffset(bytes) * fraction))];

    /// <summary>Where the top-level 'moov' box starts.</summary>
    public static int MoovOffset(byte[] bytes) => BoxOffset(bytes, "moov");

    /// <summary>Where the top-level box of this type starts.</summary>
    public static int BoxOffset(byte[] bytes, string type)
    {
        var offset = 0;
        while (offset + 8 <= bytes.Length)
        {
            if (Encoding.ASCII.GetString(bytes, offset + 4, 4) == type)
            {
                return offset;
            }
            offset += Math.Max(BoxSize(bytes, offset), 8);
        }
        throw new InvalidOperationException($"The MP4 has no top-level {type} box.");
    }

    /// <summary>The size of the box at <paramref name="offset"/>, its 8-byte header included.</summary>
    public static int BoxSize(byte[] bytes, int offset) => (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset));

    /// <summary>
    /// The file with its media data zeroed and its index intact: ffprobe reads it as the video it was, so the upload
    /// is accepted, and no frame of it decodes, so its ingestion job fails.
    /// </summary>
    public static byte[] ZeroMediaData(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        var mdat = BoxOffset(copy, "mdat");
        copy.AsSpan(mdat + 8, BoxSize(copy, mdat) - 8).Clear();
        return copy;
    }

    public static byte[] Flip(byte[] bytes, int position)
    {
        var copy = (byte[])bytes.Clone();
        copy[position] ^= 0xFF;
        return copy;
    }

    /// <summary>Overwrites every 'moov' box tag with junk, so the file keeps its size and media data but loses its index.</summary>
    public static byte[] BreakMoov(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        var tag = Encoding.ASCII.GetBytes("moov");
        for (var i = 0; i + 4 <= copy.Length; i++)
        {
            if (copy.AsSpan(i, 4).SequenceEqual(tag))
            {
                copy[i] = (byte)'x';
            }
        }
        return copy;
    }

    public static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
