using SkiaSharp;
using UCoFIA.Media;

namespace UCoFIA.Service.Inference;

/// <summary>Decoding of query images with SkiaSharp (in process, no ffmpeg round trip).</summary>
public static class FrameImages
{
    /// <summary>
    /// Decodes a PNG/JPEG/WebP image, scales its shorter side to <paramref name="size"/> (bicubic) and centre-crops
    /// with torchvision's geometry, as the frame sampler does for video; returns [S, S, 3] rgb24 bytes, or null when
    /// the bytes are not an image.
    /// </summary>
    public static byte[]? DecodeSquareRgb(byte[] encoded, int size)
    {
        using var codec = SKCodec.Create(new MemoryStream(encoded));
        if (codec is null)
        {
            return null; // not a format Skia knows
        }
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null || decoded.Width == 0 || decoded.Height == 0)
        {
            return null;
        }
        // The frames of stored videos went through torchvision's geometry, so the query image goes through it too.
        var geometry = ResizeCropGeometry.For(decoded.Width, decoded.Height, size);
        var width = geometry.ResizedWidth;
        using var resized = decoded.Resize(new SKImageInfo(width, geometry.ResizedHeight, SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKCubicResampler.CatmullRom));
        if (resized is null)
        {
            return null;
        }
        var pixels = resized.GetPixelSpan(); // [H, W, 4]
        var (x0, y0) = (geometry.CropX, geometry.CropY);
        var rgb = new byte[3 * size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var src = 4 * ((y0 + y) * width + x0 + x);
                var dst = 3 * (y * size + x);
                rgb[dst] = pixels[src];
                rgb[dst + 1] = pixels[src + 1];
                rgb[dst + 2] = pixels[src + 2];
            }
        }
        return rgb;
    }
}
