namespace UCoFIA.Model;

/// <summary>UCoFIA alignment hyper-parameters (ucofia.md); defaults are the paper's.</summary>
public sealed record AlignmentConfig
{
    /// <summary>F: frames per video; shorter inputs are padded and masked.</summary>
    public int NumFrames { get; init; } = 12;

    /// <summary>K: patches kept per frame.</summary>
    public int TopKPatches { get; init; } = 3;

    /// <summary>τ of both softmaxes in ISA.</summary>
    public double Tau { get; init; } = 0.01;

    public int SinkhornIterations { get; init; } = 4;

    /// <summary>Hidden width of the patch-scoring MLP; 0 means projection dim / 2 (the authors' choice).</summary>
    public int PatchSelectorHidden { get; init; }

    /// <summary>Whether the patch scorer also sees a video-level context (the paper's first version).</summary>
    public bool PatchSelectorVideoContext { get; init; } = true;

    /// <summary>The authors' released selector layout (TS2-Net's PredictorLG): the frame's class token joins each
    /// token before the LayerNorm and the video context is a sum over frames. Needs the video context.</summary>
    public bool PatchSelectorClassTokenFirst { get; init; }

    /// <summary>Noisy samples of the perturbed top-k in training (authors: 500; fewer is fine on CPU).</summary>
    public int PerturbedSamples { get; init; } = 500;

    public double PerturbedSigma { get; init; } = 0.05;

    /// <summary>
    /// Patch–word as the authors' evaluation scores it (eval_t2v/modules/modeling_ucofia.py): over every word
    /// position, the padding included, against the unnormalised class and patch tokens, without CLIP's logit scale.
    /// <c>ucofia convert</c> sets it for their checkpoints, whose weights were trained that way; this project's own
    /// models mask the padding and normalise (docs/model.md, deviations 1 and 3).
    /// </summary>
    public bool AuthorsPatchWord { get; init; }
}
