namespace UCoFIA.Model;

/// <summary>What <see cref="UCoFIAModel.Score"/> computes and how; defaults are the paper's full model.</summary>
public sealed record ScoreOptions
{
    /// <summary>All three granularities, shared so callers need not allocate one.</summary>
    public static readonly IReadOnlySet<Granularity> AllGranularities =
        new HashSet<Granularity> { Granularity.Video, Granularity.Frame, Granularity.Patch };

    public IReadOnlySet<Granularity> Granularities { get; init; } = AllGranularities;

    public Aggregation Aggregation { get; init; } = Aggregation.Isa;

    public PatchWordDirection Direction { get; init; } = PatchWordDirection.Both;

    /// <summary>
    /// false keeps every patch of every frame (the paper's "no selection" ablation). It acts at encoding time:
    /// pass the same options to <see cref="UCoFIAModel.EncodeVideo"/>; the ISA over patches then uses W = I
    /// because the learned W is sized for F·(1+K) tokens.
    /// </summary>
    public bool SelectPatches { get; init; } = true;

    public static ScoreOptions Default { get; } = new();
}
