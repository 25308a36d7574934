using UCoFIA.Service.Inference;
using UCoFIA.Storage;

namespace UCoFIA.Service.Ingestion;

/// <summary>A JPEG of every sampled frame, stored with the video, so a moment's frame can be shown without decoding the video again.</summary>
public sealed class FrameThumbnails(ThumbnailRepository repository)
{
    /// <returns>One JPEG per sampled frame; none when the sampler kept no frames.</returns>
    public static IReadOnlyList<byte[]> Encode(EncodedVideo video) =>
        video.Frames.Select(frame => FrameImages.EncodeJpeg(frame, video.ImageSize)).ToList();

    public Task<byte[]?> GetAsync(Guid videoId, int index, CancellationToken cancellationToken) =>
        repository.GetAsync(videoId, index, cancellationToken);
}
