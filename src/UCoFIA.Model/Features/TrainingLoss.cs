using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>Symmetric InfoNCE losses of one training batch; <see cref="Total"/> keeps the graph for backward().</summary>
public sealed class TrainingLoss : IDisposable
{
    internal TrainingLoss(Tensor total, Tensor video, Tensor frame, Tensor patch)
    {
        Total = total;
        Video = video;
        Frame = frame;
        Patch = patch;
    }

    /// <summary>Scalar loss on the unified score (mean of the enabled granularities), as the authors train.</summary>
    public Tensor Total { get; }

    /// <summary>Scalar loss on the video–sentence score alone (for monitoring or per-granularity training).</summary>
    public Tensor Video { get; }

    public Tensor Frame { get; }

    public Tensor Patch { get; }

    public void Dispose()
    {
        Total.Dispose();
        Video.Dispose();
        Frame.Dispose();
        Patch.Dispose();
    }
}
