using System.Text.Json;
using System.Text.Json.Serialization;

namespace UCoFIA.Media.Synthetic;

/// <summary>
/// Writes a corpus as a folder: <c>videos/&lt;id&gt;.mp4</c> for every clip and <c>captions.jsonl</c> with one
/// line per caption, <c>{"video":"videos/x.mp4","caption":"...","split":"train"}</c> (plus <c>"group"</c> for
/// hard-test clips), in corpus order.
/// </summary>
public static class CorpusWriter
{
    public const string CaptionsFile = "captions.jsonl";
    public const string VideosFolder = "videos";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Keep captions human-readable: no \u escapes for apostrophes and the like.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <param name="progress">Reports the number of clips encoded so far.</param>
    public static async Task WriteAsync(Corpus corpus, CorpusOptions options, string folder, CancellationToken ct, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(Path.Combine(folder, VideosFolder));

        var encoded = 0;
        // Each encode is a single-threaded ffmpeg, so one per core keeps the machine busy.
        var parallel = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount };
        await Parallel.ForEachAsync(corpus.All, parallel, async (item, token) =>
        {
            var frames = SceneRenderer.Render(item.Scene, options.FrameCount, options.ImageSize);
            await Mp4Writer.WriteAsync(frames, options.ImageSize, options.FramesPerSecond, Path.Combine(folder, VideoPath(item)), token);
            progress?.Report(Interlocked.Increment(ref encoded));
        });

        var lines = corpus.All.SelectMany(item => item.Captions.Select(caption =>
            JsonSerializer.Serialize(new CaptionLine(VideoPath(item), caption, item.Split, item.Group), JsonOptions)));
        await File.WriteAllLinesAsync(Path.Combine(folder, CaptionsFile), lines, ct);
    }

    /// <summary>The clip's path relative to the corpus folder, with forward slashes on every platform.</summary>
    public static string VideoPath(CorpusItem item) => $"{VideosFolder}/{item.Id}.mp4";

    private sealed record CaptionLine(
        [property: JsonPropertyName("video")] string Video,
        [property: JsonPropertyName("caption")] string Caption,
        [property: JsonPropertyName("split")] string Split,
        [property: JsonPropertyName("group")] string? Group);
}
