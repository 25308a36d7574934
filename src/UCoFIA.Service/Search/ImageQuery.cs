using UCoFIA.Media;
using UCoFIA.Model;
using static TorchSharp.torch;

namespace UCoFIA.Service.Search;

/// <summary>
/// Image → video: the image goes through the vision tower as a one-frame video and its frame (CLIP image) feature
/// is the query. Candidates are ranked by cosine with the video vector and with their best frame, so the frame
/// evidence decides between videos with similar summaries; per-frame cosines give the moments.
/// </summary>
public static class ImageQuery
{
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
        return features.Frames[0, 0].cpu().to(ScalarType.Float32).data<float>().ToArray(); // [D]
    }

    public static IReadOnlyList<RankedVideo> Rank(float[] query, IReadOnlyList<CandidateFeatures> candidates, GranularitySet granularities)
    {
        var d = query.Length;
        return candidates.Select(c =>
        {
            var count = Math.Min(c.FrameCount, c.FrameTimes.Length);
            var frames = Enumerable.Range(0, count).Select(f => Dot(query, c.Frames.AsSpan(f * d, d))).ToArray();
            var video = Dot(query, c.Video);
            var frame = frames.Length > 0 ? frames.Max() : 0f;
            var levels = new List<double>();
            if (granularities.Video) levels.Add(video);
            if (granularities.Frame || levels.Count == 0) levels.Add(frame); // no Sinkhorn bias: it was fitted on text queries
            var best = frames.Select((score, f) => new FrameHit(c.FrameTimes[f], score)).OrderByDescending(h => h.Score).Take(3).ToList();
            return new RankedVideo(c.Id, c.Title, levels.Average(),
                new LevelScores(granularities.Video ? video : null, frame, null), best, Moments.Find(c.FrameTimes[..count], frames));
        }).ToList();
    }

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
