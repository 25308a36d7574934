using UCoFIA.Service.Ingestion;
using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>Converts between the storage layer's per-row vectors and the flat, padded arrays the re-ranker stacks.</summary>
public static class FeatureRows
{
    public static VideoFeatureRows ToRows(EncodedVideo encoded, int patchesPerFrame)
    {
        var c = encoded.Features;
        var d = c.Video.Length;
        var frames = Enumerable.Range(0, c.FrameCount).Select(f => c.Frames.AsSpan(f * d, d).ToArray()).ToArray();
        var patches = Enumerable.Range(0, c.FrameCount)
            .Select(f => Enumerable.Range(0, patchesPerFrame)
                .Select(k => c.Patches.AsSpan((f * patchesPerFrame + k) * d, d).ToArray()).ToArray())
            .ToArray();
        var indices = Enumerable.Range(0, c.FrameCount)
            .Select(f => encoded.PatchIndices.AsSpan(f * patchesPerFrame, patchesPerFrame).ToArray()).ToArray();
        return new VideoFeatureRows(c.Video, frames, c.FrameTimes, patches, indices);
    }

    public static CandidateFeatures ToCandidate(StoredVideoFeatures stored, int frameSlots, int patchesPerFrame)
    {
        var d = stored.Video.Length;
        var count = Math.Min(stored.Frames.Length, frameSlots);
        var frames = new float[frameSlots * d];
        var patches = new float[frameSlots * patchesPerFrame * d];
        for (var f = 0; f < count; f++)
        {
            stored.Frames[f].CopyTo(frames, f * d);
            for (var k = 0; k < Math.Min(patchesPerFrame, stored.Patches[f].Length); k++)
            {
                stored.Patches[f][k].CopyTo(patches, (f * patchesPerFrame + k) * d);
            }
        }
        var bias = stored.SkBias.Length == 3 ? stored.SkBias : new float[3];
        return new CandidateFeatures(stored.Id, stored.Title, stored.Video, frames, patches, stored.FrameTimes[..count], count, bias);
    }
}
