namespace UCoFIA.Media;

/// <summary>
/// CLIP's pixel normalisation: rgb24 bytes in height-width-channel order become channel-first floats
/// scaled to [0, 1] and standardised with the statistics CLIP was trained with.
/// </summary>
public static class ClipPreprocessor
{
    public static readonly float[] Mean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] Std = [0.26862954f, 0.26130258f, 0.27577711f];

    private const int Channels = 3;

    /// <param name="rgb24">One S×S image, [S, S, 3] bytes.</param>
    /// <param name="chw">Destination, [3, S, S] floats.</param>
    public static void Normalize(ReadOnlySpan<byte> rgb24, Span<float> chw)
    {
        if (rgb24.Length % Channels != 0 || chw.Length != rgb24.Length)
        {
            throw new ArgumentException($"Expected {Channels} bytes per pixel and as many floats as bytes, got {rgb24.Length} bytes and {chw.Length} floats.");
        }

        var pixels = rgb24.Length / Channels;
        for (var c = 0; c < Channels; c++)
        {
            // (x / 255 - mean) / std folded into one multiply-add per pixel.
            var scale = 1f / (255f * Std[c]);
            var offset = -Mean[c] / Std[c];
            var plane = chw.Slice(c * pixels, pixels);
            for (var p = 0; p < pixels; p++)
            {
                plane[p] = rgb24[p * Channels + c] * scale + offset;
            }
        }
    }

    /// <summary>Normalises a sequence of S×S rgb24 frames into one [F, 3, S, S] buffer.</summary>
    public static float[] NormalizeFrames(IReadOnlyList<byte[]> frames, int imageSize)
    {
        var frameLength = Channels * imageSize * imageSize;
        var pixels = new float[frames.Count * frameLength];
        for (var f = 0; f < frames.Count; f++)
        {
            Normalize(frames[f], pixels.AsSpan(f * frameLength, frameLength));
        }

        return pixels;
    }
}
