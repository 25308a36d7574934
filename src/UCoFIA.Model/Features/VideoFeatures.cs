using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>
/// Encoded videos; every feature L2-normalised, rows of padded frames zero (in the authors' patch–word mode,
/// <see cref="AlignmentConfig.AuthorsPatchWord"/>, frames and patches are the unnormalised tokens). Owns its
/// tensors. Public so the service can rebuild it from stored float arrays and re-score without the vision tower.
/// </summary>
public sealed class VideoFeatures : IDisposable
{
    /// <param name="video">[V, D]</param>
    /// <param name="frames">[V, F, D] frame (class token) features</param>
    /// <param name="frameMask">[V, F] bool</param>
    /// <param name="patches">[V, F, K, D] selected patch tokens</param>
    /// <param name="patchIndices">[V, F, K] long, the patches' positions in the frame grid, when known</param>
    public VideoFeatures(Tensor video, Tensor frames, Tensor frameMask, Tensor patches, Tensor? patchIndices = null)
    {
        if (video.dim() != 2 || frames.dim() != 3 || frameMask.dim() != 2 || patches.dim() != 4
            || frames.shape[0] != video.shape[0] || !frameMask.shape.SequenceEqual(frames.shape[..2])
            || !patches.shape[..2].SequenceEqual(frames.shape[..2]) || patches.shape[3] != video.shape[1]
            || frames.shape[2] != video.shape[1])
            throw new ArgumentException("video features must be video [V, D], frames [V, F, D], mask [V, F], patches [V, F, K, D]");
        if (frameMask.dtype != ScalarType.Bool)
            throw new ArgumentException("the frame mask must be a bool tensor", nameof(frameMask));
        if (patchIndices is not null && !patchIndices.shape.SequenceEqual(patches.shape[..3]))
            throw new ArgumentException("patch indices must be [V, F, K]");
        Video = video;
        Frames = frames;
        FrameMask = frameMask;
        Patches = patches;
        PatchIndices = patchIndices;
    }

    /// <summary>[V, D]</summary>
    public Tensor Video { get; }

    /// <summary>[V, F, D]</summary>
    public Tensor Frames { get; }

    /// <summary>[V, F] bool</summary>
    public Tensor FrameMask { get; }

    /// <summary>[V, F, K, D]</summary>
    public Tensor Patches { get; }

    /// <summary>[V, F, K] long, or null when rebuilt without them.</summary>
    public Tensor? PatchIndices { get; }

    public int Count => (int)Video.shape[0];

    public void Dispose()
    {
        Video.Dispose();
        Frames.Dispose();
        FrameMask.Dispose();
        Patches.Dispose();
        PatchIndices?.Dispose();
    }
}
