namespace UCoFIA.Media;

/// <summary>
/// Shortens ffmpeg's multi-line error output to the line that explains the failure, with the server-side
/// directory removed so a user-facing message does not reveal where uploads are stored.
/// </summary>
internal static class FfmpegErrors
{
    public static string Reason(IEnumerable<string> lines, string fullPath)
    {
        var line = lines
            .SelectMany(l => l.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .LastOrDefault(l => l.Length > 0);
        return string.IsNullOrEmpty(line)
            ? "ffmpeg reported no reason"
            : line.TrimEnd(')').Replace(fullPath, Path.GetFileName(fullPath), StringComparison.Ordinal);
    }
}
