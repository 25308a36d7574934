using UCoFIA.Storage;

namespace UCoFIA.Service.Inference;

/// <summary>A video file after the model: its features, and the sampled frames they came from (for thumbnails).</summary>
/// <param name="Frames">The sampled frames as [S, S, 3] rgb24 bytes, one per feature frame; empty when the sampler kept none.</param>
/// <param name="ImageSize">S</param>
public sealed record EncodedVideo(VideoFeatureRows Features, IReadOnlyList<byte[]> Frames, int ImageSize);
