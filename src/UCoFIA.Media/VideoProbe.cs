namespace UCoFIA.Media;

/// <summary>
/// What ffprobe says about the primary video stream of a file. <paramref name="Width"/> and <paramref name="Height"/>
/// are those of the decoded frames, after ffmpeg's automatic rotation.
/// </summary>
public sealed record VideoProbe(double DurationSeconds, double FramesPerSecond, int Width, int Height, string Codec)
{
    /// <summary>Rejects videos longer than the service is willing to decode.</summary>
    public void EnsureDurationAtMost(TimeSpan maximum)
    {
        if (DurationSeconds > maximum.TotalSeconds)
        {
            throw new MediaException(
                MediaException.TooLong,
                $"The video is too long: {DurationSeconds:0.#} s, the limit is {maximum.TotalSeconds:0.#} s");
        }
    }
}
