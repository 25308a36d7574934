using FFMpegCore;
using FFMpegCore.Enums;
using FFMpegCore.Pipes;

namespace UCoFIA.Media;

/// <summary>
/// Decodes a video once and returns frames spread uniformly over its duration, resized and centre-cropped
/// to S×S and CLIP-normalised. See <see cref="SamplingFilter"/> for how frames are picked and
/// <see cref="SampledFrames"/> for what happens when a video has fewer frames than requested.
/// </summary>
public static class FrameSampler
{
    public static async Task<SampledFrames> SampleAsync(string path, VideoProbe probe, FrameSamplingOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var fullPath = MediaPath.Resolve(path);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Timeout);
        using var rawFrames = new MemoryStream();
        var filter = SamplingFilter.Build(probe, options.FrameCount, options.ImageSize);
        FFMpegResult result;
        try
        {
            result = await FFMpegArguments
                .FromFileInput(fullPath, verifyExists: false)
                .OutputToPipe(new StreamPipeSink(rawFrames) { Format = "rawvideo" }, output => output
                    .WithCustomArgument($"-an -sn -dn -vf \"{filter}\" -fps_mode passthrough -pix_fmt rgb24 -frames:v {options.FrameCount}"))
                // showinfo logs at info level; pin it so a global quieter setting cannot hide the timestamps.
                .WithLogLevel(FFMpegLogLevel.Info)
                // A zero grace period: on timeout ffmpeg is killed at once instead of being asked to finish.
                .CancellableThrough(deadline.Token, TimeSpan.Zero)
                .ProcessAsynchronously(throwOnError: false, null, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The deadline can fire before ffmpeg has even started, which FFMpegCore reports by throwing.
            throw TimedOut(options);
        }

        ct.ThrowIfCancellationRequested();
        if (deadline.IsCancellationRequested || result.Cancelled)
        {
            throw TimedOut(options);
        }

        if (!result.Success)
        {
            throw new MediaException(MediaException.CorruptVideo, $"The file could not be decoded: {FfmpegErrors.Reason(result.StandardError, fullPath)}");
        }

        return Assemble(rawFrames.ToArray(), FrameTimestamps.Parse(result.StandardError), options.ImageSize);
    }

    private static MediaException TimedOut(FrameSamplingOptions options) =>
        new(MediaException.DecodeTimeout, $"The video took longer than {options.Timeout.TotalSeconds:0.###} s to decode");

    private static SampledFrames Assemble(byte[] raw, double[] timestamps, int imageSize)
    {
        var frameLength = 3 * imageSize * imageSize;
        var frameCount = Math.Min(raw.Length / frameLength, timestamps.Length);
        if (frameCount == 0)
        {
            throw new MediaException(MediaException.CorruptVideo, "The file could not be decoded: no video frame could be decoded");
        }

        var rgb = Enumerable.Range(0, frameCount).Select(f => raw.AsSpan(f * frameLength, frameLength).ToArray()).ToArray();
        var pixels = ClipPreprocessor.NormalizeFrames(rgb, imageSize);
        return new SampledFrames(pixels, timestamps[..frameCount], frameCount, imageSize, rgb);
    }
}
