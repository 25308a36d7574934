using System.Text.Json;

namespace UCoFIA.Training.Data;

/// <summary>
/// Reads a real dataset folder. Two layouts are accepted:
/// <list type="bullet">
/// <item><c>captions.jsonl</c>: one <c>{"video": "relative/path.mp4", "caption": "..."}</c> per line, paths relative to the folder;</item>
/// <item>MSR-VTT: <c>MSRVTT_data.json</c> (or any <c>*.json</c> holding a <c>sentences</c> array of
/// <c>{video_id, caption}</c>) with the videos in <c>videos/all/&lt;video_id&gt;.mp4</c> or <c>videos/&lt;video_id&gt;.mp4</c>.</item>
/// </list>
/// </summary>
public static class RealDataset
{
    public const string JsonlName = "captions.jsonl";

    public static IReadOnlyList<VideoCaptionPair> Load(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"dataset folder {folder} does not exist");
        var jsonl = Path.Combine(folder, JsonlName);
        if (File.Exists(jsonl))
            return LoadJsonl(jsonl, folder);
        var msrvtt = Path.Combine(folder, "MSRVTT_data.json");
        var annotation = File.Exists(msrvtt) ? msrvtt : Directory.EnumerateFiles(folder, "*.json").FirstOrDefault();
        if (annotation is null)
            throw new FileNotFoundException($"{folder} holds neither {JsonlName} nor an MSR-VTT style *.json annotation");
        return LoadMsrVtt(annotation, folder);
    }

    public static IReadOnlyList<VideoCaptionPair> LoadJsonl(string path, string root)
    {
        var pairs = new List<VideoCaptionPair>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            using var doc = JsonDocument.Parse(line);
            var video = doc.RootElement.TryGetProperty("video", out var v) ? v.GetString() : null;
            var caption = doc.RootElement.TryGetProperty("caption", out var c) ? c.GetString() : null;
            if (string.IsNullOrWhiteSpace(video) || string.IsNullOrWhiteSpace(caption))
                throw new InvalidDataException($"{path}:{lineNumber}: expected {{\"video\": ..., \"caption\": ...}}");
            pairs.Add(new VideoCaptionPair(Path.Combine(root, video), caption));
        }
        return pairs;
    }

    public static IReadOnlyList<VideoCaptionPair> LoadMsrVtt(string path, string root)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("sentences", out var sentences))
            throw new InvalidDataException($"{path} has no \"sentences\" array (MSR-VTT layout)");
        var pairs = new List<VideoCaptionPair>();
        foreach (var sentence in sentences.EnumerateArray())
        {
            var id = sentence.GetProperty("video_id").GetString()!;
            var caption = sentence.GetProperty("caption").GetString()!;
            var nested = Path.Combine(root, "videos", "all", id + ".mp4");
            pairs.Add(new VideoCaptionPair(File.Exists(nested) ? nested : Path.Combine(root, "videos", id + ".mp4"), caption));
        }
        return pairs;
    }
}
