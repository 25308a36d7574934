namespace UCoFIA.Model;

/// <summary>The three alignment levels UCoFIA scores at (ucofia.md, "Three granularities").</summary>
public enum Granularity
{
    /// <summary>Video feature against sentence feature.</summary>
    Video,

    /// <summary>Sentence against each frame, aggregated over frames with ISA.</summary>
    Frame,

    /// <summary>Words against selected patches, aggregated with Bi-ISA.</summary>
    Patch,
}
