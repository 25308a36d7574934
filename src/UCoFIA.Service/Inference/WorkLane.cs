namespace UCoFIA.Service.Inference;

/// <summary>Who waits for a piece of model work: a caller on the line, a job, or nobody in particular.</summary>
public enum WorkLane
{
    /// <summary>Searches and embeddings: someone waits for the answer; a full lane answers 503 with Retry-After.</summary>
    Interactive,

    /// <summary>Ingestion and re-indexing: guaranteed a share of the worker under any search load.</summary>
    Background,

    /// <summary>
    /// Sinkhorn–Knopp refits of a whole gallery: minutes of work that no caller waits on. It yields to jobs, so that an
    /// upload into a gallery being refitted is not queued behind the refit's blocks, but keeps a small share so that it ends.
    /// </summary>
    Maintenance,
}
