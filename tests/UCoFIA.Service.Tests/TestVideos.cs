using SkiaSharp;
using UCoFIA.Media.Synthetic;

namespace UCoFIA.Service.Tests;

/// <summary>Real MP4 files made with ffmpeg for upload tests.</summary>
public static class TestVideos
{
    /// <summary>A short clip whose frames fade from one colour to another, so different seeds give different bytes.</summary>
    public static Task<byte[]> Mp4Async(byte r, byte g, byte b, int frames = 12, int size = 64, double fps = 6) =>
        FromFramesAsync(Enumerable.Range(0, frames).Select(i => Solid(size, r, g, (byte)((b + i * 8) % 256))).ToList(), size, fps);

    /// <summary>A clip of one synthetic-world scene, the kind of video the default model was trained on.</summary>
    public static Task<byte[]> SceneMp4Async(SceneSpec scene, int frames = 12, int size = 64, double fps = 6) =>
        FromFramesAsync(SceneRenderer.Render(scene, frames, size), size, fps);

    /// <summary>An MP4 of these [size, size, 3] rgb24 frames.</summary>
    public static async Task<byte[]> FromFramesAsync(IReadOnlyList<byte[]> frames, int size, double fps)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ucofia-test-{Guid.NewGuid():N}.mp4");
        try
        {
            await Mp4Writer.WriteAsync(frames, size, fps, path, CancellationToken.None);
            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A JPEG picture of one colour, size × size: an image query.</summary>
    public static byte[] SolidJpeg(int size, byte r, byte g, byte b)
    {
        using var bitmap = new SKBitmap(size, size);
        bitmap.Erase(new SKColor(r, g, b));
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    /// <summary>A [size, size, 3] rgb24 frame of one colour.</summary>
    public static byte[] Solid(int size, byte r, byte g, byte b)
    {
        var frame = new byte[size * size * 3];
        for (var p = 0; p < size * size; p++)
        {
            (frame[3 * p], frame[3 * p + 1], frame[3 * p + 2]) = (r, g, b);
        }
        return frame;
    }
}
