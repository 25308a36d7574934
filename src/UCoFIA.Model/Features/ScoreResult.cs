using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>Per-granularity text × video scores. Owns its tensors.</summary>
public sealed class ScoreResult : IDisposable
{
    internal ScoreResult(Tensor video, Tensor frame, Tensor patch, Tensor frameScores, IReadOnlySet<Granularity> granularities)
    {
        Video = video;
        Frame = frame;
        Patch = patch;
        FrameScores = frameScores;
        Granularities = granularities;
    }

    /// <summary>[T, V] video–sentence score (zero when not requested).</summary>
    public Tensor Video { get; }

    /// <summary>[T, V] frame–sentence ISA score (zero when not requested).</summary>
    public Tensor Frame { get; }

    /// <summary>[T, V] patch–word Bi-ISA score (zero when not requested).</summary>
    public Tensor Patch { get; }

    /// <summary>[T, V, F] sentence–frame cosine for picking best frames; padded frames read 0, so use the frame mask.</summary>
    public Tensor FrameScores { get; }

    /// <summary>The granularities that were computed.</summary>
    public IReadOnlySet<Granularity> Granularities { get; }

    public Tensor this[Granularity granularity] => granularity switch
    {
        Granularity.Video => Video,
        Granularity.Frame => Frame,
        _ => Patch,
    };

    /// <param name="granularities">which scores to average; each must have been computed</param>
    /// <param name="logBias">[3, V] Sinkhorn–Knopp log bias per granularity (rows Video, Frame, Patch), or null</param>
    /// <returns>[T, V] mean over the granularities of (S_g + bias_g)</returns>
    public Tensor Unified(IReadOnlySet<Granularity> granularities, Tensor? logBias = null)
    {
        if (granularities.Count == 0)
            throw new ArgumentException("at least one granularity is needed", nameof(granularities));
        var missing = granularities.Except(Granularities).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"not computed: {string.Join(", ", missing)}", nameof(granularities));
        if (logBias is not null && (logBias.dim() != 2 || logBias.shape[0] != 3 || logBias.shape[1] != Video.shape[1]))
            throw new ArgumentException($"log bias must be [3, {Video.shape[1]}]", nameof(logBias));
        using var scope = NewDisposeScope();
        var sum = zeros_like(Video); // [T, V]
        foreach (var g in granularities)
            sum = sum.Plus(logBias is null ? this[g] : this[g].Plus(logBias[(int)g].unsqueeze(0).to(Video.device)));
        return sum.Over(granularities.Count).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Video.Dispose();
        Frame.Dispose();
        Patch.Dispose();
        FrameScores.Dispose();
    }
}
