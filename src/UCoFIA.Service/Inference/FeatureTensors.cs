using TorchSharp;
using UCoFIA.Model;
using static TorchSharp.torch;

namespace UCoFIA.Service.Search;

/// <summary>The one place where features cross between model tensors and the plain arrays the service keeps.</summary>
public static class FeatureTensors
{
    public static EncodedText[] EncodeTexts(UCoFIAModel model, IReadOnlyList<string> texts)
    {
        using var scope = NewDisposeScope();
        using var features = model.EncodeText(texts);
        var sentence = features.Sentence.cpu().to(ScalarType.Float32);  // [T, D]
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
                ids);
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

    /// <summary>Stacks candidates: video [V, D], frames [V, F, D], mask [V, F], patches [V, F, K, D].</summary>
    public static VideoFeatures ToVideoFeatures(IReadOnlyList<CandidateFeatures> videos, int frames, int patchesPerFrame, Device device)
    {
        var v = videos.Count;
        var d = videos[0].Video.Length;
        var video = new float[v * d];
        var frame = new float[v * frames * d];
        var patch = new float[v * frames * patchesPerFrame * d];
        var mask = new bool[v * frames];
        for (var i = 0; i < v; i++)
        {
            var c = videos[i];
            c.Video.CopyTo(video, i * d);
            c.Frames.CopyTo(frame, i * frames * d);
            c.Patches.CopyTo(patch, i * frames * patchesPerFrame * d);
            Array.Fill(mask, true, i * frames, Math.Min(c.FrameCount, frames));
        }
        return new VideoFeatures(
            tensor(video, device: device).reshape(v, d),
            tensor(frame, device: device).reshape(v, frames, d),
            tensor(mask, device: device).reshape(v, frames),
            tensor(patch, device: device).reshape(v, frames, patchesPerFrame, d));
    }

    /// <summary>Copies video <paramref name="index"/> of encoded features out as flat arrays, keeping the first <paramref name="frameCount"/> frames.</summary>
    public static CandidateFeatures ToCandidate(VideoFeatures features, int index, Guid id, string? title, double[] frameTimes, int frameCount)
    {
        using var scope = NewDisposeScope();
        var video = features.Video[index].cpu().to(ScalarType.Float32);
        var frames = features.Frames[index].cpu().to(ScalarType.Float32).contiguous();
        var patches = features.Patches[index].cpu().to(ScalarType.Float32).contiguous();
        return new CandidateFeatures(id, title, video.data<float>().ToArray(), frames.data<float>().ToArray(),
            patches.data<float>().ToArray(), frameTimes, frameCount, new float[3]);
    }
}
