using UCoFIA.Media;
using UCoFIA.Model;
using UCoFIA.Service.Domain;
using UCoFIA.Service.Inference;
using UCoFIA.Storage;
using static TorchSharp.torch;

namespace UCoFIA.Service.Search;

/// <summary>
/// Image → video: the image goes through the vision tower as a one-frame video and its frame (CLIP image) feature
/// is the query. Candidates are ranked by cosine with the video vector and with their best frame, so the frame
/// evidence decides between videos with similar summaries; per-frame cosines give the moments. There are no words,
/// so the patch–word level does not apply, and no Sinkhorn bias: it was fitted on text queries.
/// </summary>
public static class ImageQuery
{
    /// <returns>[S, S, 3] rgb24 at the model's image size.</returns>
    /// <exception cref="UnusableInputException">The bytes are not a PNG, JPEG or WebP image.</exception>
    public static byte[] Decode(byte[] image, int imageSize) =>
        FrameImages.DecodeSquareRgb(image, imageSize)
        ?? throw new UnusableInputException("not-an-image", "image", "'image' could not be decoded as PNG, JPEG or WebP.");

    /// <param name="rgb24">[S, S, 3] at the model's image size.</param>
    /// <returns>[D] L2-normalised frame feature.</returns>
    public static float[] Encode(UCoFIAModel model, byte[] rgb24)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var f = model.Config.Alignment.NumFrames;
        var s = model.Config.Vision.ImageSize;
        var pixels = new float[f * 3 * s * s]; // frame 0 is the image, the rest are masked out
        ClipPreprocessor.Normalize(rgb24, pixels.AsSpan(0, 3 * s * s));
        var mask = new bool[f];
        mask[0] = true;
        using var features = model.EncodeVideo(
            tensor(pixels, device: model.Device).reshape(1, f, 3, s, s), // [1, F, 3, S, S]
            tensor(mask, device: model.Device).reshape(1, f));           // [1, F]
        return features.Frames[0, 0].cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray(); // [D]
    }

    /// <exception cref="InvalidQueryException">Neither the video nor the frame level was asked for.</exception>
    public static void RequireLevels(GranularitySet granularities)
    {
        if (!granularities.Video && !granularities.Frame)
        {
            throw new InvalidQueryException("An image query is ranked at the video and frame levels (it has no words for 'patch'); ask for video, frame or both.");
        }
    }

    public static IReadOnlyList<RankedSegment> Rank(float[] query, IReadOnlyList<GallerySegment> candidates, GranularitySet granularities) =>
        candidates.Select(c =>
        {
            var features = c.Features;
            var frames = Enumerable.Range(0, features.FrameCount).Select(f => Dot(query, features.Frame(f))).ToArray();
            var video = Dot(query, features.Video);
            var frame = frames.Length > 0 ? frames.Max() : 0f;
            var levels = new List<double>();
            if (granularities.Video) levels.Add(video);
            if (granularities.Frame) levels.Add(frame);
            return new RankedSegment(c, levels.Average(), new LevelScores(granularities.Video ? video : null, granularities.Frame ? frame : null, null), frames);
        }).ToList();

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
