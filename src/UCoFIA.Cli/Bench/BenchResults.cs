namespace UCoFIA.Cli.Bench;

public sealed record FillResult(int Size, int Added, double CopySeconds, double IndexSeconds, long VideoBytes, long FrameBytes, long PatchBytes, long Count)
{
    public double BytesPerVideo => Count == 0 ? 0 : (VideoBytes + FrameBytes + PatchBytes) / (double)Count;
}

public sealed record LatencyResult(
    int Size, int Concurrency, int Candidates,
    Percentiles Encode, Percentiles Recall, Percentiles Fetch, Percentiles Rerank, Percentiles Total,
    double QueriesPerSecond, double CacheHitRate, int Failed = 0);

/// <param name="Overlap">Mean top-10 overlap with exhaustive; equal to recall@10 of the true top-10 (both lists have 10).</param>
/// <param name="Contained">Mean share of the true top-10 inside the recalled candidate set (in-process recall at the service's ef_search).</param>
public sealed record AgreementResult(int Size, int Candidates, double Overlap, double MinOverlap, double Contained, double ExhaustiveMs, int Failed = 0);

/// <summary>In-process recall (same SQL as the service) for one candidates × ef_search cell.</summary>
public sealed record RecallCell(int Size, int Candidates, int EfSearch, double Contained, Percentiles RecallMs);

/// <param name="LoadClients">Clients searching without pause while the jobs ran (0: the service had nothing else to do).</param>
/// <param name="LoadSearches">Searches those clients completed meanwhile.</param>
/// <param name="LoadFailedSearches">Searches that failed meanwhile (503 included, after the client's retries).</param>
public sealed record IngestResult(int Videos, double VideoSeconds, double WallSeconds, int Cores, IReadOnlyDictionary<string, double> StageSeconds,
    int LoadClients = 0, int LoadSearches = 0, int LoadFailedSearches = 0)
{
    public double RealTimeFactor => VideoSeconds / WallSeconds;
}

public sealed record BenchRun(
    DateTimeOffset Started, string Machine, string LoadBefore, string LoadAfter, BenchOptions Options, double PoolEncodeSeconds,
    List<FillResult> Fills, List<LatencyResult> Latency, List<AgreementResult> Agreement, List<RecallCell> Recall, IngestResult? Ingest,
    IngestResult? IngestUnderLoad = null);
