using UCoFIA.Service.Inference;
using UCoFIA.Service.Ingestion;

namespace UCoFIA.Service.Extensions;

/// <summary>
/// The process <c>ucofia reindex</c> runs the <see cref="Reindexer"/> in: a host without HTTP around the service's own
/// storage, model worker and ingestion services (<see cref="ServiceExtensions.AddGallery"/>), configured as the
/// service is (its appsettings.json, then the environment: ConnectionStrings__Postgres, Model__Path,
/// Storage__DataDirectory, Ingest__SegmentSeconds, …), with the command's options over both. It does not bind the
/// gallery at start (the service's DatabaseMigrationService would refuse a new model): the reindex binds it when it ends.
/// </summary>
public static class ReindexHost
{
    /// <summary>What the reindex's database connections are called in pg_stat_activity.</summary>
    public const string ApplicationName = "ucofia-reindex";

    /// <param name="settings">Configuration keys as the service reads them (<c>Model:Path</c>, <c>Ingest:SegmentSeconds</c>, …).</param>
    /// <exception cref="Storage.ReindexException">The reindex cannot start or go on; the message says why and what to do.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is out of range.</exception>
    public static async Task<ReindexReport> RunAsync(
        IReadOnlyDictionary<string, string?> settings, ReindexRequest request, Action<ReindexProgress> progress, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings);
        builder.Services.AddGallery(ApplicationName);
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ModelWorker>());
        builder.Services.AddSingleton<Reindexer>();
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            return await host.Services.GetRequiredService<Reindexer>().RunAsync(request, progress, cancellationToken);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
