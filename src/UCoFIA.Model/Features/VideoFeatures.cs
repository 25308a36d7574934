using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>
/// Encoded videos; every feature L2-normalised, rows of padded frames zero (in the authors' patch–word mode,
/// <see cref="AlignmentConfig.AuthorsPatchWord"/>, frames and patches are the unnormalised tokens). Owns its
/// tensors. Public so the service can rebuild it from stored float arrays and re-score without the vision tower.
/// </summary>
/// <remarks>
/// Frames and patches live in one contiguous patch stream [V, F, 1+K, D], each frame's class token first, the
/// order Bi-ISA's learned matrices index. Word–patch similarity is then one GEMM over [V·F(1+K), D] with no copy
/// of the candidate side; <see cref="Frames"/> and <see cref="Patches"/> are views into it.
/// </remarks>
public sealed class VideoFeatures : IDisposable
{
    /// <param name="video">[V, D]</param>
    /// <param name="stream">[V, F, 1+K, D] per frame its class token, then its K selected patch tokens</param>
    /// <param name="frameMask">[V, F] bool</param>
    /// <param name="patchIndices">[V, F, K] long, the patches' positions in the frame grid, when known</param>
    public VideoFeatures(Tensor video, Tensor stream, Tensor frameMask, Tensor? patchIndices = null)
    {
        if (video.dim() != 2 || stream.dim() != 4 || frameMask.dim() != 2 || stream.shape[0] != video.shape[0]
            || !frameMask.shape.SequenceEqual(stream.shape[..2]) || stream.shape[2] < 1 || stream.shape[3] != video.shape[1])
            throw new ArgumentException("video features must be video [V, D], stream [V, F, 1+K, D], mask [V, F]");
        if (frameMask.dtype != ScalarType.Bool)
            throw new ArgumentException("the frame mask must be a bool tensor", nameof(frameMask));
        if (patchIndices is not null && !patchIndices.shape.SequenceEqual([stream.shape[0], stream.shape[1], stream.shape[2] - 1]))
            throw new ArgumentException("patch indices must be [V, F, K]");
        Video = video;
        Stream = stream.is_contiguous() ? stream : Contiguous(stream);
        FrameMask = frameMask;
        PatchIndices = patchIndices;
        // Views owned by this object, not by whatever dispose scope happens to be open where it is built.
        Frames = Stream.select(2, 0).DetachFromDisposeScope();
        Patches = Stream.narrow(2, 1, Stream.shape[2] - 1).DetachFromDisposeScope();
    }

    /// <summary>[V, D]</summary>
    public Tensor Video { get; }

    /// <summary>[V, F, 1+K, D] contiguous</summary>
    public Tensor Stream { get; }

    /// <summary>[V, F, D], a view into <see cref="Stream"/></summary>
    public Tensor Frames { get; }

    /// <summary>[V, F] bool</summary>
    public Tensor FrameMask { get; }

    /// <summary>[V, F, K, D], a view into <see cref="Stream"/></summary>
    public Tensor Patches { get; }

    /// <summary>[V, F, K] long, or null when rebuilt without them.</summary>
    public Tensor? PatchIndices { get; }

    public int Count => (int)Video.shape[0];

    private static Tensor Contiguous(Tensor stream)
    {
        var copy = stream.contiguous().DetachFromDisposeScope();
        stream.Dispose();
        return copy;
    }

    public void Dispose()
    {
        Video.Dispose();
        Frames.Dispose();
        Patches.Dispose();
        Stream.Dispose();
        FrameMask.Dispose();
        PatchIndices?.Dispose();
    }
}
