using UCoFIA.Media.Synthetic;

namespace UCoFIA.Service.Tests;

/// <summary>Real MP4 files made with ffmpeg for upload tests.</summary>
public static class TestVideos
{
    /// <summary>A short clip whose frames fade from one colour to another, so different seeds give different bytes.</summary>
    public static async Task<byte[]> Mp4Async(byte r, byte g, byte b, int frames = 12, int size = 64, double fps = 6)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ucofia-test-{Guid.NewGuid():N}.mp4");
        try
        {
            var rgb = Enumerable.Range(0, frames).Select(i =>
            {
                var frame = new byte[size * size * 3];
                for (var p = 0; p < size * size; p++)
                {
                    frame[p * 3] = r;
                    frame[p * 3 + 1] = g;
                    frame[p * 3 + 2] = (byte)((b + i * 8) % 256);
                }
                return frame;
            }).ToList();
            await Mp4Writer.WriteAsync(rgb, size, fps, path, CancellationToken.None);
            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
