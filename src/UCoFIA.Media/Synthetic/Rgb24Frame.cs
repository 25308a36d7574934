using FFMpegCore.Pipes;

namespace UCoFIA.Media.Synthetic;

/// <summary>One square rgb24 image in the shape FFMpegCore's raw video pipe expects.</summary>
internal sealed class Rgb24Frame(byte[] pixels, int size) : IVideoFrame
{
    public int Width => size;

    public int Height => size;

    public string PixelFormat => "rgb24";

    public void Serialize(Stream pipe) => pipe.Write(pixels);

    public Task SerializeAsync(Stream pipe, CancellationToken token) => pipe.WriteAsync(pixels, token).AsTask();
}
