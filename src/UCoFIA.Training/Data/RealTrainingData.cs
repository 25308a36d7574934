using UCoFIA.Media;

namespace UCoFIA.Training.Data;

/// <summary>
/// A real dataset: clips decoded with <see cref="FrameSampler"/> on first use and kept in memory, so each video is
/// decoded once per run. Captions of the same video are grouped so a batch never holds one video twice.
/// </summary>
public sealed class RealTrainingData : ITrainingData
{
    private readonly IReadOnlyList<(string Video, string[] Captions)> clips;
    private readonly Dictionary<string, SampledFrames> decoded = [];

    private readonly int seed;

    /// <param name="seed">with the step number, seeds which clips and captions each batch draws</param>
    public RealTrainingData(IReadOnlyList<VideoCaptionPair> pairs, int seed)
    {
        this.seed = seed;
        clips = pairs.GroupBy(p => p.VideoPath).Select(g => (g.Key, g.Select(p => p.Caption).ToArray())).ToArray();
        AllCaptions = pairs.Select(p => p.Caption).ToArray();
    }

    public string Description => $"{clips.Count} clips";

    public IReadOnlyList<string> AllCaptions { get; }

    public async Task<(string[] Captions, FrameBatch Frames)> BatchAsync(int step, int size, int frameCount, int imageSize, CancellationToken ct)
    {
        var random = StepSeed.For(seed, step);
        // Without replacement, so a batch never holds one video twice.
        var indices = Enumerable.Range(0, clips.Count).OrderBy(_ => random.Next()).Take(size).ToArray();
        var frameLength = 3 * imageSize * imageSize;
        var pixels = new float[indices.Length * frameCount * frameLength];
        var mask = new bool[indices.Length * frameCount];
        var captions = new string[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var (video, texts) = clips[indices[i]];
            captions[i] = texts[random.Next(texts.Length)];
            if (!decoded.TryGetValue(video, out var sampled))
            {
                var probe = await VideoProber.ProbeAsync(video, ct);
                sampled = await FrameSampler.SampleAsync(video, probe, new FrameSamplingOptions(frameCount, imageSize, TimeSpan.FromMinutes(2)), ct);
                decoded[video] = sampled;
            }
            sampled.CopyPadded(frameCount, pixels.AsSpan(i * frameCount * frameLength, frameCount * frameLength), mask.AsSpan(i * frameCount, frameCount));
        }
        return (captions, new FrameBatch(pixels, mask, indices.Length, frameCount, imageSize));
    }
}
