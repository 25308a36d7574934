using Microsoft.Extensions.Options;
using UCoFIA.Media;
using UCoFIA.Service.Domain;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Options;
using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;
using static TorchSharp.torch;

namespace UCoFIA.Service.Ingestion;

/// <summary>A video file turned into features: probe, sampling on the segment plan, then the model on its worker.</summary>
public sealed class VideoEncoder(ModelWorker worker, IOptions<IngestOptions> options)
{
    /// <summary>Probes the file and enforces the duration limit.</summary>
    /// <exception cref="MediaException">ffprobe finds no usable video stream, or takes too long.</exception>
    /// <exception cref="UnusableInputException">The video is longer than Ingest:MaxDurationSeconds.</exception>
    public async Task<VideoProbe> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        using var stage = ServiceTelemetry.Stage("probe");
        // ffprobe gets the same deadline as decoding: a file crafted to stall the demuxer must not hold a request forever.
        var timeout = TimeSpan.FromSeconds(options.Value.DecodeTimeoutSeconds);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        VideoProbe probe;
        try
        {
            probe = await VideoProber.ProbeAsync(path, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(MediaException.DecodeTimeout, $"The video took longer than {timeout.TotalSeconds:0.#} s to probe.");
        }
        if (probe.DurationSeconds > options.Value.MaxDurationSeconds)
        {
            throw UnusableInputException.Video("too-long",
                $"The video lasts {probe.DurationSeconds:0.#} s; the limit is {options.Value.MaxDurationSeconds:0.#} s.");
        }
        return probe;
    }

    /// <summary>
    /// Samples the video once on its segment plan and encodes every segment with the model's F frames (vision
    /// encoder, temporal encoder, patch selection), a batch of segments per worker call.
    /// </summary>
    /// <param name="progress">Told 0 once the video is decoded, then the fraction of segments encoded about every tenth
    /// of the way, so that hundreds of segments cost a few job updates. The job runner stops a canceled job there.</param>
    public async Task<EncodedVideo> EncodeAsync(string path, VideoProbe probe, CancellationToken cancellationToken, Func<double, Task>? progress = null)
    {
        var sizes = await worker.SizesAsync();
        var o = options.Value;
        var plan = SegmentPlan.For(probe.DurationSeconds, sizes.Frames, o.SegmentSeconds, o.SegmentStrideSeconds);
        SampledFrames sampled;
        using (ServiceTelemetry.Stage("decode"))
        {
            // A long video may take long to decode; a file crafted to stall still has a bounded deadline.
            var timeout = TimeSpan.FromSeconds(o.DecodeTimeoutSeconds + probe.DurationSeconds);
            sampled = await FrameSampler.SampleAsync(path, probe, new FrameSamplingOptions(plan.Samples, sizes.ImageSize, timeout, o.ThumbnailWidth), cancellationToken);
        }
        if (progress is not null)
        {
            await progress(0);
        }
        // A video with fewer frames than planned samples yields fewer; windows past them are dropped.
        var windows = plan.Windows.Where(w => w.First < sampled.FrameCount).ToList();
        var bin = probe.DurationSeconds > 0 ? probe.DurationSeconds / plan.Samples : 0;
        var segments = new List<EncodedSegment>(windows.Count);
        var reported = 0;
        using var stage = ServiceTelemetry.Stage("encode-video");
        foreach (var batch in windows.Select((w, i) => (Index: i, w.First)).Chunk(o.SegmentBatch))
        {
            var rows = await worker.RunAsync(model => Encode(model, sampled, batch.Select(b => b.First).ToList()), cancellationToken, WorkLane.Background);
            segments.AddRange(batch.Select((b, i) => new EncodedSegment(b.Index, b.Index == 0 ? 0 : b.First * bin,
                windows.Count == 1 ? probe.DurationSeconds : Math.Min(probe.DurationSeconds, (b.First + rows[i].FrameCount) * bin), b.First, rows[i])));
            var tenth = segments.Count * 10 / windows.Count;
            if (progress is not null && tenth > reported)
            {
                reported = tenth;
                await progress((double)segments.Count / windows.Count);
            }
        }
        return new EncodedVideo(segments, sampled.Thumbnails ?? []);
    }

    /// <param name="firsts">The first sample of each segment to encode.</param>
    private static VideoFeatureRows[] Encode(Model.UCoFIAModel model, SampledFrames sampled, IReadOnlyList<int> firsts)
    {
        using var scope = NewDisposeScope();
        var (b, f, s) = (firsts.Count, model.Config.Alignment.NumFrames, sampled.ImageSize);
        var frameLength = 3 * s * s;
        var pixels = new float[b * f * frameLength];
        var mask = new bool[b * f];
        var counts = firsts.Select((first, i) =>
            sampled.CopyPadded(f, pixels.AsSpan(i * f * frameLength, f * frameLength), mask.AsSpan(i * f, f), first)).ToArray();
        using var features = model.EncodeVideo(
            tensor(pixels, device: model.Device).reshape(b, f, 3, s, s), // [B, F, 3, S, S]
            tensor(mask, device: model.Device).reshape(b, f));           // [B, F]
        return firsts.Select((first, i) => FeatureTensors.ToRows(features, i, sampled.TimestampsSeconds[first..(first + counts[i])])).ToArray();
    }
}
