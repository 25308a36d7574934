namespace UCoFIA.Cli.Bench;

/// <summary>Everything <c>ucofia bench</c> was asked to do.</summary>
/// <param name="Sizes">Gallery sizes, grown in increasing order (each fill adds to the previous one).</param>
/// <param name="Queries">Text queries per latency run.</param>
/// <param name="AgreementQueries">Queries compared with exhaustive scoring at each size.</param>
/// <param name="Candidates">Candidate counts for the agreement sweep; the first one that is 200 (else the first) is used for latency.</param>
/// <param name="EfSearch">ef_search values for the in-process recall sweep (the service's own ef_search is fixed by its configuration).</param>
/// <param name="Concurrency">Client concurrency levels for the latency runs.</param>
/// <param name="Pool">Distinct synthetic videos encoded with the model; the gallery is made of perturbed copies.</param>
/// <param name="Noise">Norm of the Gaussian perturbation added to each unit feature before re-normalising.</param>
/// <param name="IngestVideos">MP4s uploaded for the ingestion run (0 skips it).</param>
/// <param name="Warmup">Searches before each latency run (at least every query once).</param>
/// <param name="LoadClients">Clients that search without pause during a second ingestion run of the same MP4s (0 skips it).</param>
public sealed record BenchOptions(
    string Connection,
    Uri ServiceUrl,
    string ModelPath,
    IReadOnlyList<int> Sizes,
    int Queries,
    int AgreementQueries,
    IReadOnlyList<int> Candidates,
    IReadOnlyList<int> EfSearch,
    IReadOnlyList<int> Concurrency,
    int Pool,
    double Noise,
    int IngestVideos,
    double IngestSeconds,
    int IngestSize,
    string OutputFolder,
    int Seed = 1,
    int LoadClients = 0,
    int Warmup = 0)
{
    public int LatencyCandidates => Candidates.Contains(200) ? 200 : Candidates[0];
}
