using System.ComponentModel.DataAnnotations;

namespace UCoFIA.Service.Options;

/// <summary>Two-stage search knobs (section "Search").</summary>
public sealed class SearchOptions
{
    public const string Section = "Search";

    [Range(1, 10_000)]
    public int DefaultCandidates { get; set; } = 200;

    [Range(1, 10_000)]
    public int MaxCandidates { get; set; } = 2000;

    [Range(1, 1000)]
    public int MaxTopK { get; set; } = 100;

    /// <summary>HNSW candidate list size; raised to the requested candidate count when that is larger.</summary>
    [Range(1, 10_000)]
    public int EfSearch { get; set; } = 100;

    /// <summary>Galleries up to this size are recalled by an exact scan instead of the HNSW index.</summary>
    [Range(0, 10_000_000)]
    public int ExactRecallThreshold { get; set; } = 2000;

    /// <summary>Score every stored video with the full model (the ground truth recall is measured against).</summary>
    public bool Exhaustive { get; set; }

    [Range(1, 100_000)]
    public int MaxTextLength { get; set; } = 1000;

    /// <summary>
    /// Bytes of candidate features kept in memory (half precision): about 11 KB per segment with the default
    /// model, so the default holds about 94,000 segments; 0 turns the cache off.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long FeatureCacheBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Fill the feature cache with the stored gallery at start-up and after every clear, up to its budget.</summary>
    public bool WarmFeatureCache { get; set; } = true;
}
