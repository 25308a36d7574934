namespace UCoFIA.Media;

/// <summary>
/// Turns a caller's path into one that is safe to hand to ffmpeg. FFMpegCore builds a single argument
/// string (no shell), so the risks are a double quote ending the quoted path early and ffmpeg reading a
/// relative name such as "concat:a|b" or "http://..." as a protocol; an absolute path has neither.
/// </summary>
internal static class MediaPath
{
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        if (fullPath.Any(c => c == '"' || char.IsControl(c)))
        {
            throw new ArgumentException("Media paths may not contain double quotes or control characters.", nameof(path));
        }

        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException("The media file does not exist.", fullPath);
        }

        return fullPath;
    }
}
