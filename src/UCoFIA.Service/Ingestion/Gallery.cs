using UCoFIA.Service.Domain;
using UCoFIA.Service.Search;
using UCoFIA.Storage;

namespace UCoFIA.Service.Ingestion;

/// <summary>Removing what was ingested: the rows go in one cascade, the feature cache forgets the video at once, and its kept original goes.</summary>
public sealed class Gallery(VideoRepository videos, FeatureCache cache, OriginalStore originals)
{
    /// <exception cref="NotFoundException">No stored video has <paramref name="id"/>.</exception>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await videos.DeleteAsync(id, cancellationToken))
        {
            throw new NotFoundException("Video", id);
        }
        cache.InvalidateVideo(id);
        originals.Delete(id);
    }
}
