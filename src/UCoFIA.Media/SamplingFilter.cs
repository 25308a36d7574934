using System.Globalization;

namespace UCoFIA.Media;

/// <summary>
/// Builds the ffmpeg filter graph that picks frames uniformly in time, resizes and crops them as CLIP does and logs each
/// picked frame's timestamp. The duration is cut into <c>frameCount</c> equal bins and the first decoded
/// frame of each bin is kept, so all frames come from one decoder pass and no frame is duplicated: a
/// video with fewer frames than bins simply yields fewer frames.
/// </summary>
internal static class SamplingFilter
{
    /// <summary>The graph's output of model frames (rgb24, S×S).</summary>
    public const string ModelLabel = "model";

    /// <summary>The graph's output of thumbnails: the same frames, uncropped, <c>thumbnailWidth</c> wide.</summary>
    public const string ThumbnailLabel = "thumbnail";

    /// <param name="thumbnailWidth">null: no thumbnail output.</param>
    public static string Build(VideoProbe probe, int frameCount, int imageSize, int? thumbnailWidth = null)
    {
        var step = BinSeconds(probe, frameCount).ToString("R", CultureInfo.InvariantCulture);
        // Bin index of a frame time, measured from the stream's first frame. A frame that starts a bin exactly (a
        // video of F frames has one per bin) can divide to just under its index in floating point; the nudge of a
        // millionth of a bin keeps it in its own bin instead of dropping it as a second frame of the one before.
        string Bin(string time) => $"floor(({time}-start_t)/{step}+1e-6)";
        var select =
            $"select='lt({Bin("t")},{frameCount})*(isnan(prev_selected_t)+gt({Bin("t")},{Bin("prev_selected_t")}))'";
        // CLIP's Resize(S, bicubic) + CenterCrop(S) with torchvision's exact geometry. Converting to RGB first
        // scales in the colour space the reference resizes in, and keeps crop from aligning x to chroma pixels.
        var geometry = ResizeCropGeometry.For(probe.Width, probe.Height, imageSize);
        var resize = $"format=rgb24,scale={geometry.ResizedWidth}:{geometry.ResizedHeight}:flags=bicubic," +
            $"crop={imageSize}:{imageSize}:{geometry.CropX}:{geometry.CropY}";
        // showinfo logs "pts_time:" for each frame that reaches it; FrameTimestamps reads those lines. The first
        // video stream is the one the prober describes.
        var model = $"{resize},showinfo[{ModelLabel}]";
        if (thumbnailWidth is not { } width)
        {
            return $"[0:v:0]{select},{model}";
        }
        // Split after the select, so both outputs get exactly the picked frames. The thumbnail keeps the whole picture
        // and its aspect (-2: the other side even, which 4:2:0 JPEG needs), full-range as JPEG expects.
        var tallest = width * FrameSamplingOptions.MaxThumbnailTallness;
        var tooTall = $"gt(ih*{width}/iw,{tallest})";
        return $"[0:v:0]{select},split=2[picked][viewing];[picked]{model};"
            + $"[viewing]scale=w='if({tooTall},-2,{width})':h='if({tooTall},{tallest},-2)':flags=bicubic,format=yuvj420p[{ThumbnailLabel}]";
    }

    private static double BinSeconds(VideoProbe probe, int frameCount)
    {
        if (probe.DurationSeconds > 0)
        {
            return probe.DurationSeconds / frameCount;
        }

        // Without a duration, one frame per frame interval is the best guess; a still image gets one frame.
        return probe.FramesPerSecond > 0 ? 1 / probe.FramesPerSecond : 1;
    }
}
