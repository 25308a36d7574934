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
    /// <summary>ffmpeg's MJPEG quantiser scale for thumbnails (2 best … 31 worst): small files that still look clean at viewing size.</summary>
    public const int ThumbnailQuality = 4;

    public static async Task<SampledFrames> SampleAsync(string path, VideoProbe probe, FrameSamplingOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var fullPath = MediaPath.Resolve(path);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Timeout);
        using var rawFrames = new MemoryStream();
        var filter = SamplingFilter.Build(probe, options.FrameCount, options.ImageSize, options.ThumbnailWidth);
        var thumbnailFolder = options.ThumbnailWidth is null ? null : Directory.CreateTempSubdirectory("ucofia-thumbnails-").FullName;
        try
        {
            // A decode that succeeds but hands back no frame is run once more before it counts as undecodable: once in
            // CI, a one-frame PNG came back empty from a run that exited cleanly, and the same file decoded in every
            // rerun (11 of them, some beside two busy cores). A file that truly yields nothing fails twice.
            for (var attempt = 1; ; attempt++)
            {
                var result = await RunAsync(fullPath, filter, options, rawFrames, thumbnailFolder, deadline.Token, ct);
                ct.ThrowIfCancellationRequested();
                if (deadline.IsCancellationRequested || result.Cancelled)
                {
                    throw TimedOut(options);
                }

                if (!result.Success)
                {
                    throw new MediaException(MediaException.CorruptVideo, $"The file could not be decoded: {FfmpegErrors.Reason(result.StandardError, fullPath)}");
                }

                var timestamps = FrameTimestamps.Parse(result.StandardError);
                if ((rawFrames.Length == 0 || timestamps.Length == 0) && attempt == 1)
                {
                    rawFrames.SetLength(0);
                    ClearFolder(thumbnailFolder);
                    continue;
                }
                var thumbnails = thumbnailFolder is null ? null
                    : Directory.GetFiles(thumbnailFolder, "*.jpg").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
                return Assemble(rawFrames.ToArray(), timestamps, options.ImageSize, thumbnails);
            }
        }
        finally
        {
            if (thumbnailFolder is not null)
            {
                Directory.Delete(thumbnailFolder, recursive: true);
            }
        }
    }

    /// <summary>
    /// One decoder pass with one or two outputs of the same picked frames: the model's raw frames into the pipe and,
    /// when asked, viewing-size JPEGs into <paramref name="thumbnailFolder"/> (00001.jpg, … in sample order).
    /// </summary>
    private static async Task<FFMpegResult> RunAsync(string fullPath, string filter, FrameSamplingOptions options, MemoryStream rawFrames,
        string? thumbnailFolder, CancellationToken deadline, CancellationToken ct)
    {
        var frames = $"-fps_mode passthrough -frames:v {options.FrameCount}";
        var thumbnails = thumbnailFolder is null ? ""
            : $"-map \"[{SamplingFilter.ThumbnailLabel}]\" {frames} -q:v {ThumbnailQuality} -f image2 \"{Path.Combine(thumbnailFolder, "%05d.jpg")}\" ";
        try
        {
            return await FFMpegArguments
                .FromFileInput(fullPath, verifyExists: false)
                .OutputToPipe(new StreamPipeSink(rawFrames) { Format = "rawvideo" }, output => output
                    .WithCustomArgument($"-an -sn -dn -filter_complex \"{filter}\" {thumbnails}-map \"[{SamplingFilter.ModelLabel}]\" {frames} -pix_fmt rgb24"))
                // showinfo logs at info level; pin it so a global quieter setting cannot hide the timestamps.
                .WithLogLevel(FFMpegLogLevel.Info)
                // A zero grace period: on timeout ffmpeg is killed at once instead of being asked to finish.
                .CancellableThrough(deadline, TimeSpan.Zero)
                .ProcessAsynchronously(throwOnError: false, null, deadline);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The deadline can fire before ffmpeg has even started, which FFMpegCore reports by throwing.
            throw TimedOut(options);
        }
    }

    private static void ClearFolder(string? folder)
    {
        foreach (var file in folder is null ? [] : Directory.GetFiles(folder))
        {
            File.Delete(file);
        }
    }

    private static MediaException TimedOut(FrameSamplingOptions options) =>
        new(MediaException.DecodeTimeout, $"The video took longer than {options.Timeout.TotalSeconds:0.###} s to decode");

    private static SampledFrames Assemble(byte[] raw, double[] timestamps, int imageSize, byte[][]? thumbnails)
    {
        var frameLength = 3 * imageSize * imageSize;
        var frameCount = Math.Min(raw.Length / frameLength, timestamps.Length);
        if (frameCount == 0)
        {
            throw new MediaException(MediaException.CorruptVideo, "The file could not be decoded: no video frame could be decoded");
        }

        var rgb = Enumerable.Range(0, frameCount).Select(f => raw.AsSpan(f * frameLength, frameLength).ToArray()).ToArray();
        var pixels = ClipPreprocessor.NormalizeFrames(rgb, imageSize);
        return new SampledFrames(pixels, timestamps[..frameCount], frameCount, imageSize, thumbnails?[..Math.Min(frameCount, thumbnails.Length)]);
    }
}
