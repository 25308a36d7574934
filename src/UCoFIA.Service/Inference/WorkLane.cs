namespace UCoFIA.Service.Inference;

/// <summary>Who waits for a piece of model work: a caller on the line, or a job in the background.</summary>
public enum WorkLane
{
    /// <summary>Searches and embeddings: someone waits for the answer; a full lane answers 503 with Retry-After.</summary>
    Interactive,

    /// <summary>Ingestion, re-indexing and Sinkhorn–Knopp refits: guaranteed a share of the worker under any search load.</summary>
    Background,
}
