using UCoFIA.Storage;

namespace UCoFIA.Service.Ingestion;

/// <summary>
/// A JPEG of every sampled frame, stored with the video, so a moment's frame can be shown without decoding the video
/// again. ffmpeg writes them in the sampling pass (<see cref="VideoEncoder"/>), Ingest:ThumbnailWidth wide with the
/// picture's aspect, uncropped: the model's square input is the centred square of it.
/// </summary>
public sealed class FrameThumbnails(ThumbnailRepository repository)
{
    public Task<byte[]?> GetAsync(Guid videoId, int index, CancellationToken cancellationToken) =>
        repository.GetAsync(videoId, index, cancellationToken);
}
