namespace UCoFIA.Media;

/// <summary>What a browser makes of a file, from ffprobe's container (format) name and video codec name.</summary>
public static class MediaFormats
{
    /// <summary>
    /// Whether a &lt;video&gt; element plays the file as it is: H.264 or AV1 in MP4/QuickTime, or VP8, VP9 or AV1 in
    /// WebM. ffprobe names Matroska and WebM alike, so a Matroska file with those codecs counts too, which Chromium
    /// and Firefox play; HEVC, MPEG-2 and the like do not count.
    /// </summary>
    public static bool BrowserPlayable(string? container, string? codec) =>
        container?.Contains("mp4", StringComparison.Ordinal) == true
            ? codec is "h264" or "av1"
            : container?.Contains("webm", StringComparison.Ordinal) == true && codec is "vp8" or "vp9" or "av1";

    /// <summary>The Content-Type to serve the file with.</summary>
    public static string ContentType(string? container) =>
        container?.Contains("mp4", StringComparison.Ordinal) == true ? "video/mp4"
        : container?.Contains("webm", StringComparison.Ordinal) == true ? "video/webm"
        : "application/octet-stream";
}
