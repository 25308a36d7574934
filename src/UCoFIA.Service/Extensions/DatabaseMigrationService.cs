using Microsoft.Extensions.Options;
using UCoFIA.Model;
using UCoFIA.Service.Options;
using UCoFIA.Storage;

namespace UCoFIA.Service.Extensions;

/// <summary>
/// Applies pending schema migrations before the host starts serving, then binds the gallery to the model. The vector
/// columns take their dimension from the model's config, so the checkpoint's config.json is read (not its weights)
/// first; a gallery holding another model's features, or one that <c>ucofia reindex</c> is re-encoding, stops the start
/// with a message saying what to do.
/// </summary>
public sealed class DatabaseMigrationService(SchemaMigrator migrator, GalleryModel gallery, IOptions<ModelOptions> model, ILogger<DatabaseMigrationService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var config = UCoFIAConfig.Load(Path.Combine(model.Value.Path, "config.json"));
        var applied = await migrator.MigrateAsync(config.ProjectionDim, cancellationToken);
        logger.LogInformation("Schema up to date ({Applied} migrations applied now, embedding dimension {Dim})", applied, config.ProjectionDim);
        var fingerprint = ModelFingerprint.Of(model.Value.Path);
        try
        {
            await gallery.BindAsync(fingerprint, Path.GetFullPath(model.Value.Path), cancellationToken);
        }
        catch (Exception e) when (e is GalleryModelMismatchException or GalleryReindexingException)
        {
            logger.LogCritical("{Message}", e.Message);
            throw;
        }
        logger.LogInformation("Gallery bound to model {Fingerprint}", fingerprint);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
