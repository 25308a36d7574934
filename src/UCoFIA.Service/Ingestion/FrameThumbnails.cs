using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>Stores a JPEG of every sampled frame at ingest, so a moment's frame can be shown without decoding the video again.</summary>
public sealed class FrameThumbnails(ThumbnailRepository repository)
{
    /// <param name="rgb">The sampled frames, [S, S, 3] bytes each; null when the sampler kept none.</param>
    public async Task StoreAsync(Guid videoId, IReadOnlyList<byte[]>? rgb, int imageSize, CancellationToken cancellationToken)
    {
        if (rgb is null || rgb.Count == 0)
        {
            return;
        }
        var jpegs = rgb.Select(frame => FrameImages.EncodeJpeg(frame, imageSize)).ToList();
        await repository.StoreAsync(videoId, jpegs, cancellationToken);
    }

    public Task<byte[]?> GetAsync(Guid videoId, int index, CancellationToken cancellationToken) =>
        repository.GetAsync(videoId, index, cancellationToken);
}
