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
        var d = texts[0].Sentence.Length;
        var l = texts[0].WordMask.Length;
        var sentence = tensor(texts.SelectMany(t => t.Sentence).ToArray(), device: device).reshape(texts.Count, d);
        var words = tensor(texts.SelectMany(t => t.Words).ToArray(), device: device).reshape(texts.Count, l, d);
        var mask = tensor(texts.SelectMany(t => t.WordMask).ToArray(), device: device).reshape(texts.Count, l);
        return new TextFeatures(sentence, words, mask);
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
        var video = new float[v * d];
        var stream = new float[v * f * token];
        var mask = new bool[v * f];
        for (var i = 0; i < v; i++)
        {
            var c = videos[i];
            var count = Math.Min(c.FrameCount, f);
            c.Video.CopyTo(video, i * d);
            for (var j = 0; j < count; j++)
            {
                var at = (i * f + j) * token;
                c.Frames.AsSpan(j * d, d).CopyTo(stream.AsSpan(at));
                c.Patches.AsSpan(j * k * d, k * d).CopyTo(stream.AsSpan(at + d));
            }
            Array.Fill(mask, true, i * f, count);
        }
        return new VideoFeatures(
            tensor(video, device: device).reshape(v, d),
            tensor(stream, device: device).reshape(v, f, 1 + k, d),
            tensor(mask, device: device).reshape(v, f));
    }

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
