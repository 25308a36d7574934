namespace UCoFIA.Media;

/// <summary>
/// What ffprobe says about the primary video stream of a file. <paramref name="Width"/> and <paramref name="Height"/>
/// are those of the decoded frames, after ffmpeg's automatic rotation.
/// </summary>
/// <param name="Container">ffprobe's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm".</param>
public sealed record VideoProbe(double DurationSeconds, double FramesPerSecond, int Width, int Height, string Codec, string Container = "unknown");
