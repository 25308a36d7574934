using System.Text.Json;

namespace UCoFIA.Cli.Client;

/// <summary>
/// What <c>ucofia ingest</c> sends with each video besides the file: <c>--metadata</c> (one JSON object, attached to
/// every upload) and <c>--captions</c> (a JSONL file in the format <c>ucofia synth</c> writes, one
/// <c>{"video": "videos/x.mp4", "caption": "..."}</c> per line, the path relative to an ingested folder or to the
/// captions file's own folder).
/// </summary>
public sealed class UploadFields
{
    private readonly IReadOnlyDictionary<string, List<string>> _captions;

    private UploadFields(string? metadata, IReadOnlyDictionary<string, List<string>> captions, int unmatched)
    {
        Metadata = metadata;
        _captions = captions;
        UnmatchedCaptions = unmatched;
    }

    public static UploadFields None { get; } = new(null, new Dictionary<string, List<string>>(), 0);

    /// <summary>The metadata JSON object, as given; null when there is none.</summary>
    public string? Metadata { get; }

    /// <summary>Caption lines whose video is none of the files being ingested (a wrong folder, usually).</summary>
    public int UnmatchedCaptions { get; }

    public IReadOnlyList<string> CaptionsOf(string path) => _captions.TryGetValue(path, out var captions) ? captions : [];

    /// <param name="folders">The ingested folders, against which caption paths are resolved first.</param>
    /// <param name="files">The files being ingested (full paths).</param>
    /// <exception cref="UsageException">The metadata is not a JSON object, or the captions file cannot be read.</exception>
    public static UploadFields Create(string? metadata, string? captionsFile, IEnumerable<string> folders, IReadOnlyCollection<string> files)
    {
        if (metadata is not null)
        {
            try
            {
                using var document = JsonDocument.Parse(metadata);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new UsageException("--metadata must be a JSON object, e.g. '{\"source\": \"archive\"}'.");
                }
            }
            catch (JsonException e)
            {
                throw new UsageException($"--metadata is not valid JSON: {e.Message}");
            }
        }
        if (captionsFile is null)
        {
            return new UploadFields(metadata, new Dictionary<string, List<string>>(), 0);
        }
        if (!File.Exists(captionsFile))
        {
            throw new UsageException($"--captions {captionsFile}: no such file.");
        }
        var bases = folders.Append(Path.GetDirectoryName(Path.GetFullPath(captionsFile))!).Select(Path.GetFullPath).Distinct().ToList();
        var ingested = files.ToHashSet();
        var captions = new Dictionary<string, List<string>>();
        var unmatched = 0;
        var number = 0;
        foreach (var line in File.ReadLines(captionsFile))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var (video, caption) = Parse(line, $"{captionsFile}:{number}");
            var file = bases.Select(b => Path.GetFullPath(Path.Combine(b, video))).FirstOrDefault(ingested.Contains);
            if (file is null)
            {
                unmatched++;
                continue;
            }
            if (!captions.TryGetValue(file, out var list))
            {
                captions[file] = list = [];
            }
            list.Add(caption);
        }
        return new UploadFields(metadata, captions, unmatched);
    }

    private static (string Video, string Caption) Parse(string line, string where)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("video", out var video) && video.ValueKind == JsonValueKind.String
                && root.TryGetProperty("caption", out var caption) && caption.ValueKind == JsonValueKind.String
                ? (video.GetString()!, caption.GetString()!)
                : throw new UsageException($"{where}: each line needs string fields \"video\" and \"caption\".");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{where}: not valid JSON: {e.Message}");
        }
    }
}
