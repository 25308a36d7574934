namespace UCoFIA.Model;

/// <summary>Which aggregation order(s) Bi-ISA uses over the word × patch similarity matrix.</summary>
public enum PatchWordDirection
{
    /// <summary>Mean of both orders (the paper's Bi-ISA).</summary>
    Both,

    /// <summary>Aggregate over words for each patch, then over patches.</summary>
    WordsFirst,

    /// <summary>Aggregate over patches for each word, then over words.</summary>
    PatchesFirst,
}
