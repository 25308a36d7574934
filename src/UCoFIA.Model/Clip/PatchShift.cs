using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>
/// TS2-Net's patch shift, as the authors' <c>PatchShiftModule</c> applies it before attention in the last ViT
/// blocks: with fold = (1+P) / div, tokens 1, 1+fold, 1+2·fold, … take their values from the previous frame of
/// the same video and tokens 4, 4+fold, … from the next one; the class token and the rest stay. The first and
/// last frame keep their own tokens where they have no neighbour. Neighbours are the video's real frames only,
/// so padding never leaks into a real frame (the authors shift across their zero-filled slots).
/// </summary>
internal sealed class PatchShift
{
    /// <summary>The authors' offset of the second set of shifted tokens (<c>1+3</c>).</summary>
    private const int NextOffset = 4;

    private readonly Tensor previous; // [N] index of each frame's predecessor in the same video, or itself
    private readonly Tensor next;     // [N] index of each frame's successor in the same video, or itself
    private readonly int div;

    /// <param name="video">[N] the video each real frame belongs to, frames of a video in temporal order</param>
    public PatchShift(Tensor video, int div)
    {
        var n = video.shape[0];
        var self = ScalarOps.Arange(n, video.device); // [N]
        var before = cat([self[..1], self[..^1]]); // [N] j − 1 (0 for the first)
        var after = cat([self[1..], self[^1..]]); // [N] j + 1 (N − 1 for the last)
        previous = where(video.index_select(0, before) == video, before, self);
        next = where(video.index_select(0, after) == video, after, self);
        this.div = div;
    }

    /// <param name="x">[N, 1+P, H] the attention input of one block</param>
    /// <returns>[N, 1+P, H]</returns>
    public Tensor Apply(Tensor x)
    {
        var tokens = x.shape[1];
        var fold = tokens / div;
        var fromPrevious = Every(tokens, 1, fold, x.device).view(1, -1, 1); // [1, 1+P, 1]
        var fromNext = Every(tokens, NextOffset, fold, x.device).view(1, -1, 1); // [1, 1+P, 1]
        // The authors write the next-frame tokens last, so they win where the two sets meet.
        var shifted = where(fromPrevious, x.index_select(0, previous), x); // [N, 1+P, H]
        return where(fromNext, x.index_select(0, next), shifted); // [N, 1+P, H]
    }

    /// <returns>[1+P] bool: positions start, start + step, … (Python's arange(start, end, step))</returns>
    private static Tensor Every(long tokens, long start, long step, Device device) =>
        tensor(Enumerable.Range(0, (int)tokens).Select(i => i >= start && (i - start) % step == 0).ToArray(), device: device);
}
