using static TorchSharp.torch;

namespace UCoFIA.Training.Data;

/// <summary>
/// Clips as the model's EncodeVideo takes them. A clip with fewer decoded frames than the model's F is padded the
/// way the service pads an upload: zero pixels past its frames, masked out, so training and evaluation see the
/// short clips that search will.
/// </summary>
/// <param name="Pixels">[B, F, 3, S, S] CLIP-normalised, row-major.</param>
/// <param name="Mask">[B, F], true where a frame was decoded or rendered.</param>
public sealed record FrameBatch(float[] Pixels, bool[] Mask, int Clips, int FrameCount, int ImageSize)
{
    /// <summary>Clips that all have <paramref name="frameCount"/> frames (rendered synthetic ones).</summary>
    public static FrameBatch Full(float[] pixels, int clips, int frameCount, int imageSize)
    {
        var mask = new bool[clips * frameCount];
        Array.Fill(mask, true);
        return new FrameBatch(pixels, mask, clips, frameCount, imageSize);
    }

    /// <summary>[B, F, 3, S, S] pixels and [B, F] mask on the CPU.</summary>
    public (Tensor Pixels, Tensor Mask) ToTensors() =>
        (tensor(Pixels, [Clips, FrameCount, 3, ImageSize, ImageSize]), tensor(Mask, [Clips, FrameCount]));
}
