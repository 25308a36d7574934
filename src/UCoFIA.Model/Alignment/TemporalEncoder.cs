using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>
/// CLIP4Clip "seqTransf": frame features + frame position embeddings → pre-LN blocks (padded frames masked as
/// keys) → residual to the input → per-frame L2 norm → masked mean → L2 norm = the video feature.
/// </summary>
internal sealed class TemporalEncoder : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding frame_position_embeddings;
    private readonly ClipEncoder encoder;

    public TemporalEncoder(UCoFIAConfig config) : base(nameof(TemporalEncoder))
    {
        var d = config.ProjectionDim;
        frame_position_embeddings = Embedding(config.Alignment.NumFrames, d);
        encoder = new ClipEncoder(d, 4 * d, config.Temporal.NumHeads, config.Temporal.NumLayers, causal: false,
            1e-5, "quick_gelu");
        RegisterComponents();
    }

    /// <param name="frames">[B, F, D] projected class tokens (not normalised)</param>
    /// <param name="frameMask">[B, F] bool</param>
    /// <returns>[B, D] L2-normalised video feature</returns>
    public override Tensor forward(Tensor frames, Tensor frameMask)
    {
        var positions = ScalarOps.Arange(frames.shape[1], frames.device); // [F]
        var x = frames.Plus(frame_position_embeddings.call(positions).unsqueeze(0)); // [B, F, D]
        var keyMask = MaskedOps.Fill(zeros_like(frameMask, dtype: frames.dtype), frameMask).view(frameMask.shape[0], 1, 1, -1); // [B, 1, 1, F]
        x = encoder.call(x, keyMask).Plus(frames); // [B, F, D]
        return MeanPool(x, frameMask);
    }

    /// <summary>The parameter-free pooling at the end of the encoder, also the zero-shot video feature.</summary>
    /// <param name="frames">[B, F, D]</param>
    /// <param name="frameMask">[B, F] bool</param>
    /// <returns>[B, D]</returns>
    public static Tensor MeanPool(Tensor frames, Tensor frameMask) =>
        MaskedOps.Normalize(MaskedOps.Mean(MaskedOps.Normalize(frames), frameMask.unsqueeze(-1), 1));
}
