using System.Runtime.InteropServices;
using TorchSharp;
using UCoFIA.Model;
using UCoFIA.Storage;
using static TorchSharp.torch;

namespace UCoFIA.Service.Inference;

/// <summary>The one place where features cross between model tensors and the plain arrays the service keeps.</summary>
public static class FeatureTensors
{
    public static EncodedText[] EncodeTexts(UCoFIAModel model, IReadOnlyList<string> texts)
    {
        using var scope = NewDisposeScope();
        using var features = model.EncodeText(texts);
        var sentence = features.Sentence.cpu().to(ScalarType.Float32);  // [T, D]
        var recall = model.RecallQuery(features).cpu().to(ScalarType.Float32); // [T, D]
        var words = features.Words.cpu().to(ScalarType.Float32);        // [T, L, D]
        var mask = features.WordMask.cpu();                             // [T, L]
        var length = (int)mask.shape[1];
        var result = new EncodedText[texts.Count];
        for (var t = 0; t < texts.Count; t++)
        {
            var ids = new int[length];
            features.TokenIds?[t].AsSpan(0, Math.Min(length, features.TokenIds[t].Length)).CopyTo(ids);
            result[t] = new EncodedText(
                texts[t],
                sentence[t].data<float>().ToArray(),
                words[t].contiguous().data<float>().ToArray(),
                mask[t].data<bool>().ToArray(),
                ids,
                recall[t].data<float>().ToArray());
        }
        return result;
    }

    /// <summary>Stacks texts into the model's text features: sentence [T, D], words [T, L, D], mask [T, L].</summary>
    public static TextFeatures ToTextFeatures(IReadOnlyList<EncodedText> texts, Device device)
    {
        var (t, d, l) = (texts.Count, texts[0].Sentence.Length, texts[0].WordMask.Length);
        var sentence = zeros(t, d); // [T, D]
        var words = zeros(t, l, d); // [T, L, D]
        var mask = zeros([t, l], ScalarType.Bool); // [T, L]
        var sentenceData = View<float>(sentence);
        var wordData = View<float>(words);
        var maskData = View<bool>(mask);
        for (var i = 0; i < t; i++)
        {
            texts[i].Sentence.CopyTo(sentenceData[(i * d)..]);
            texts[i].Words.CopyTo(wordData[(i * l * d)..]);
            texts[i].WordMask.CopyTo(maskData[(i * l)..]);
        }
        return new TextFeatures(OnDevice(sentence, device), OnDevice(words, device), OnDevice(mask, device));
    }

    /// <summary>
    /// Stacks videos padded to the model's F frames: video [V, D], the patch stream [V, F, 1+K, D] (each frame's
    /// feature, then its K patches), mask [V, F]. Frames past a video's own count stay zero and masked out, the same
    /// padding training uses. Laid out here, the stream reaches the model without another copy.
    /// </summary>
    public static VideoFeatures ToVideoFeatures(IReadOnlyList<VideoFeatureRows> videos, ModelSizes sizes, Device device)
    {
        var (v, f, k) = (videos.Count, sizes.Frames, sizes.PatchesPerFrame);
        var d = videos[0].Dim;
        var token = (1 + k) * d; // one frame's run in the stream
        // Written straight into native memory: the whole stream was first built as a managed array (2 MB for 100
        // candidates of the default model, a large-object allocation per query) and then copied into the tensor;
        // without that copy the re-rank p50 went from 13.4 to 8.5 ms (docs/performance.md).
        var video = zeros(v, d);                     // [V, D]
        var stream = zeros(v, f, 1 + k, d);          // [V, F, 1+K, D]
        var mask = zeros([v, f], ScalarType.Bool);   // [V, F]
        var videoData = View<float>(video);
        var streamData = View<float>(stream);
        var maskData = View<bool>(mask);
        for (var i = 0; i < v; i++)
        {
            var c = videos[i];
            var count = Math.Min(c.FrameCount, f);
            c.Video.CopyTo(videoData[(i * d)..]);
            for (var j = 0; j < count; j++)
            {
                var at = (i * f + j) * token;
                c.Frames.AsSpan(j * d, d).CopyTo(streamData[at..]);
                c.Patches.AsSpan(j * k * d, k * d).CopyTo(streamData[(at + d)..]);
            }
            maskData.Slice(i * f, count).Fill(true);
        }
        return new VideoFeatures(OnDevice(video, device), OnDevice(stream, device), OnDevice(mask, device));
    }

    /// <summary>A fresh CPU tensor's own memory as a span, to fill without a managed copy of the whole.</summary>
    private static Span<T> View<T>(Tensor cpuTensor) where T : unmanaged => MemoryMarshal.Cast<byte, T>(cpuTensor.bytes);

    private static Tensor OnDevice(Tensor cpuTensor, Device device) => device.type == DeviceType.CPU ? cpuTensor : cpuTensor.to(device);

    /// <summary>Copies video <paramref name="index"/> of encoded features out as rows, keeping its first <paramref name="frameTimes"/>.Length frames.</summary>
    public static VideoFeatureRows ToRows(VideoFeatures features, int index, double[] frameTimes)
    {
        using var scope = NewDisposeScope();
        var count = frameTimes.Length;
        var video = features.Video[index].cpu().to(ScalarType.Float32);                                  // [D]
        var frames = features.Frames[index, ..count].cpu().to(ScalarType.Float32).contiguous();          // [F', D]
        var patches = features.Patches[index, ..count].cpu().to(ScalarType.Float32).contiguous();        // [F', K, D]
        var indices = features.PatchIndices![index, ..count].cpu().to(ScalarType.Int32).contiguous();   // [F', K]
        return new VideoFeatureRows(video.data<float>().ToArray(), frames.data<float>().ToArray(), frameTimes,
            patches.data<float>().ToArray(), indices.data<int>().ToArray());
    }
}
