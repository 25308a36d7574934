using Microsoft.Extensions.Options;
using UCoFIA.Media;
using UCoFIA.Service.Domain;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Options;
using UCoFIA.Service.Telemetry;
using static TorchSharp.torch;

namespace UCoFIA.Service.Ingestion;

/// <summary>A video file turned into features: probe, uniform frame sampling, then the model on its worker.</summary>
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

    /// <summary>Samples the model's F frames and encodes them (vision encoder, temporal encoder, patch selection).</summary>
    public async Task<EncodedVideo> EncodeAsync(string path, VideoProbe probe, CancellationToken cancellationToken)
    {
        var sizes = await worker.SizesAsync();
        SampledFrames sampled;
        using (ServiceTelemetry.Stage("decode"))
        {
            sampled = await FrameSampler.SampleAsync(path, probe, new FrameSamplingOptions(
                sizes.Frames, sizes.ImageSize, TimeSpan.FromSeconds(options.Value.DecodeTimeoutSeconds)), cancellationToken);
        }
        using var stage = ServiceTelemetry.Stage("encode-video");
        return await worker.RunAsync(model => Encode(model, sampled), cancellationToken);
    }

    private static EncodedVideo Encode(Model.UCoFIAModel model, SampledFrames sampled)
    {
        using var scope = NewDisposeScope();
        var f = model.Config.Alignment.NumFrames;
        var s = sampled.ImageSize;
        var pixels = new float[f * 3 * s * s];
        var mask = new bool[f];
        var count = sampled.CopyPadded(f, pixels, mask);
        using var features = model.EncodeVideo(
            tensor(pixels, device: model.Device).reshape(1, f, 3, s, s), // [1, F, 3, S, S]
            tensor(mask, device: model.Device).reshape(1, f));           // [1, F]
        return new EncodedVideo(FeatureTensors.ToRows(features, 0, sampled.TimestampsSeconds[..count]), sampled.Rgb?[..count] ?? [], s);
    }
}
