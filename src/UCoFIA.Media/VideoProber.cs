using FFMpegCore;
using FFMpegCore.Exceptions;

namespace UCoFIA.Media;

/// <summary>Reads duration, frame rate, size and codec of a file's primary video stream with ffprobe.</summary>
public static class VideoProber
{
    public static async Task<VideoProbe> ProbeAsync(string path, CancellationToken ct)
    {
        var fullPath = MediaPath.Resolve(path);
        if (new FileInfo(fullPath).Length == 0)
        {
            throw new MediaException(MediaException.NotAVideo, "The file is not a video: it is empty");
        }

        IMediaAnalysis analysis;
        try
        {
            analysis = await FFProbe.AnalyseAsync(fullPath, ffOptions: null, customArguments: null, ct);
        }
        catch (Exception e) when (e is FFMpegException or FormatException or System.Text.Json.JsonException)
        {
            throw await UnreadableAsync(fullPath, e, ct);
        }

        var stream = analysis.PrimaryVideoStream
            ?? throw new MediaException(MediaException.NotAVideo, "The file is not a video: no video stream found");
        var duration = stream.Duration > TimeSpan.Zero ? stream.Duration : analysis.Duration;
        var framesPerSecond = double.IsFinite(stream.AverageFrameRate) && stream.AverageFrameRate > 0
            ? stream.AverageFrameRate
            : stream.RealFrameRate;
        if (stream.Width is not > 0 || stream.Height is not > 0)
        {
            throw new MediaException(MediaException.CorruptVideo, "The file could not be decoded: the video stream has no frame size");
        }

        // ffmpeg turns quarter-turn-rotated streams upright while decoding, so their frames arrive transposed.
        var (width, height) = Math.Abs(stream.Rotation) % 180 == 90
            ? (stream.Height.Value, stream.Width.Value)
            : (stream.Width.Value, stream.Height.Value);
        return new VideoProbe(duration.TotalSeconds, framesPerSecond, width, height, stream.CodecName ?? "unknown", analysis.Format.FormatName ?? "unknown");
    }

    private static async Task<MediaException> UnreadableAsync(string fullPath, Exception cause, CancellationToken ct) =>
        await ContainerSniffer.LooksLikeVideoContainerAsync(fullPath, ct)
            ? new MediaException(MediaException.CorruptVideo, $"The file could not be decoded: {FfmpegErrors.Reason([cause.Message], fullPath)}", cause)
            : new MediaException(MediaException.NotAVideo, "The file is not a video: no known video container was found", cause);
}
