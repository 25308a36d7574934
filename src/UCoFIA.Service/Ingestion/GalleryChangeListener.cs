using UCoFIA.Service.Search;
using UCoFIA.Storage;

namespace UCoFIA.Service.Ingestion;

/// <summary>
/// Keeps this instance's in-memory state in step with the database when another instance (or this one) deletes a
/// video or commits a Sinkhorn–Knopp fit: cached candidate features of the video, or every cached bias, are
/// dropped, and the fit is read again before the next write. So no instance serves a deleted video or a stale bias
/// from memory.
/// </summary>
public sealed class GalleryChangeListener(
    GalleryChanges changes, FeatureCache cache, SinkhornBias sinkhorn, CaptionSinkhornBias captionSinkhorn,
    ILogger<GalleryChangeListener> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        changes.ListenAsync(Apply, e => logger.LogWarning("Lost the gallery change channel; reconnecting: {Message}", e.Message), stoppingToken);

    private void Apply(GalleryChange change)
    {
        if (change.Video is { } video)
        {
            cache.InvalidateVideo(video);
            return;
        }
        // Text → video biases live on the cached segments; caption biases are read with the captions.
        if (change.Fit is null or SkGallery.Videos)
        {
            cache.Clear();
            sinkhorn.FitMoved();
        }
        if (change.Fit is null or SkGallery.Captions)
        {
            captionSinkhorn.FitMoved();
        }
    }
}
