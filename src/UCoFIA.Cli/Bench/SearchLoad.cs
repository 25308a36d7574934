using UCoFIA.Cli.Client;

namespace UCoFIA.Cli.Bench;

/// <summary>Clients that search without pause until stopped: the load the ingestion-under-load run measures jobs against.</summary>
public static class SearchLoad
{
    /// <returns>Searches completed and searches failed (after the client's own retries) once <paramref name="stop"/> fires.</returns>
    public static async Task<(int Completed, int Failed)> StartAsync(ServiceClient service, IReadOnlyList<string> queries, int candidates, int clients, CancellationToken stop)
    {
        var completed = 0;
        var failed = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var i = client; !stop.IsCancellationRequested; i += clients)
            {
                try
                {
                    await service.SearchAsync(queries[i % queries.Count], candidates, false, stop);
                    Interlocked.Increment(ref completed);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }, CancellationToken.None)));
        return (completed, failed);
    }
}
