using UCoFIA.Media;

namespace UCoFIA.Training.Data;

/// <summary>
/// A real dataset: clips decoded with <see cref="FrameSampler"/> on first use and kept in memory, so each video is
/// decoded once per run. Captions of the same video are grouped so a batch never holds one video twice.
/// </summary>
public sealed class RealTrainingData : ITrainingData
{
    private readonly IReadOnlyList<(string Video, string[] Captions)> clips;
    private readonly Dictionary<string, float[]> decoded = [];

    public RealTrainingData(IReadOnlyList<VideoCaptionPair> pairs)
    {
        clips = pairs.GroupBy(p => p.VideoPath).Select(g => (g.Key, g.Select(p => p.Caption).ToArray())).ToArray();
        AllCaptions = pairs.Select(p => p.Caption).ToArray();
    }

    public int Count => clips.Count;

    public IReadOnlyList<string> AllCaptions { get; }

    public async Task<(string[] Captions, float[] Pixels)> BatchAsync(IReadOnlyList<int> indices, Random random, int frameCount, int imageSize, CancellationToken ct)
    {
        var clipLength = frameCount * 3 * imageSize * imageSize;
        var pixels = new float[indices.Count * clipLength];
        var captions = new string[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            var (video, texts) = clips[indices[i]];
            captions[i] = texts[random.Next(texts.Length)];
            if (!decoded.TryGetValue(video, out var frames))
            {
                var probe = await VideoProber.ProbeAsync(video, ct);
                var sampled = await FrameSampler.SampleAsync(video, probe, new FrameSamplingOptions(frameCount, imageSize, TimeSpan.FromMinutes(2)), ct);
                frames = sampled.PadTo(frameCount).Pixels;
                decoded[video] = frames;
            }
            frames.CopyTo(pixels, i * clipLength);
        }
        return (captions, pixels);
    }
}
