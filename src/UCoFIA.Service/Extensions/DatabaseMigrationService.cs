using Microsoft.Extensions.Options;
using UCoFIA.Model;
using UCoFIA.Service.Options;
using UCoFIA.Storage;

namespace UCoFIA.Service.Extensions;

/// <summary>
/// Applies pending schema migrations before the host starts serving. The vector columns take their dimension
/// from the model's config, so the checkpoint's config.json is read (not its weights) first.
/// </summary>
public sealed class DatabaseMigrationService(SchemaMigrator migrator, IOptions<ModelOptions> model, ILogger<DatabaseMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var config = UCoFIAConfig.Load(Path.Combine(model.Value.Path, "config.json"));
        var applied = await migrator.MigrateAsync(config.ProjectionDim, cancellationToken);
        logger.LogInformation("Schema up to date ({Applied} migrations applied now, embedding dimension {Dim})", applied, config.ProjectionDim);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
