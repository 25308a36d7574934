using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace UCoFIA.Model;

/// <summary>
/// The parameter tree: HF CLIPModel's names at the root (text_model, vision_model, text_projection,
/// visual_projection, logit_scale) plus <c>ucofia.*</c>. Methods work on tensors; the facade
/// <see cref="UCoFIAModel"/> owns scopes, modes and devices.
/// </summary>
internal sealed class UCoFIAModule : Module
{
    /// <summary>Word × patch similarity elements scored at once; bounds Bi-ISA memory to ~256 MB of fp32.</summary>
    private const long PatchWordChunkElements = 1L << 26;

    private readonly ClipTextTransformer text_model;
    private readonly ClipVisionTransformer vision_model;
    private readonly Linear text_projection;
    private readonly Linear visual_projection;
    private readonly Parameter logit_scale;
    private readonly UCoFIAHeads ucofia;
    private readonly UCoFIAConfig config;

    public UCoFIAModule(UCoFIAConfig config) : base(nameof(UCoFIAModule))
    {
        this.config = config;
        text_model = new ClipTextTransformer(config.Text);
        vision_model = new ClipVisionTransformer(config.Vision);
        text_projection = Linear(config.Text.HiddenSize, config.ProjectionDim, hasBias: false);
        visual_projection = Linear(config.Vision.HiddenSize, config.ProjectionDim, hasBias: false);
        logit_scale = Parameter(tensor((float)config.LogitScaleInit));
        ucofia = new UCoFIAHeads(config);
        RegisterComponents();
        // CLIP4Clip's init_weights for new layers: N(0, 0.02) weights, zero biases; the heads' D×D identity maps stay
        // the identity, so an untrained head leaves the similarities unchanged. Loaded checkpoints overwrite this.
        using var _ = no_grad();
        foreach (var linear in modules().OfType<Linear>().Where(l => !l.weight!.allclose(eye(l.weight!.shape[0], l.weight!.shape[1]))))
        {
            linear.weight!.normal_(0, 0.02);
            linear.bias?.zero_();
        }
    }

    /// <summary>The UCoFIA heads, for evidence that reads their intermediate weights (<see cref="PatchWordEvidence"/>).</summary>
    public UCoFIAHeads Heads => ucofia;

    /// <summary>CLIP's temperature, clamped at 100 as in CLIP training.</summary>
    public Tensor LogitScale => logit_scale.exp().ClampMax(100);

    /// <param name="ids">[T, L] long</param>
    /// <param name="mask">[T, L] bool, true from the start token to the end token</param>
    /// <returns>sentence [T, D] and words [T, L, D], L2-normalised, padded words zero, with the word mask
    /// patch–word weighs them by; in the authors' mode every position is a word, the padding included</returns>
    public (Tensor Sentence, Tensor Words, Tensor WordMask) EncodeText(Tensor ids, Tensor mask)
    {
        var states = TextStates(ids, mask); // [T, L, D]
        // The end token is the last real one; its position works with any vocabulary, unlike CLIP's argmax(id).
        var endPosition = mask.sum(1, type: ScalarType.Int64).Minus(1); // [T]
        var sentence = MaskedOps.Normalize(states[ScalarOps.Arange(ids.shape[0], ids.device), endPosition]); // [T, D]
        var words = MaskedOps.Normalize(states); // [T, L, D]
        if (config.Alignment.AuthorsPatchWord)
            return (sentence, words, ones_like(mask));
        return (sentence, words * mask.unsqueeze(-1).to(states.dtype), mask);
    }

    /// <summary>The projected token states. Under the causal mask no real position sees the padding that follows
    /// its end token, so only the positions up to the batch's longest text are run (a 20-token query in a 77-token
    /// context costs a quarter) and the rest come back zero, which the word mask discards. The authors' mode
    /// weighs padded positions as words, so it runs them all.</summary>
    /// <returns>[T, L, D]</returns>
    private Tensor TextStates(Tensor ids, Tensor mask)
    {
        var full = ids.shape[1];
        var length = config.Alignment.AuthorsPatchWord ? full : Math.Max(1, mask.sum(1).max().item<long>());
        var states = text_projection.call(text_model.call(ids.narrow(1, 0, length))); // [T, L', D]
        return length == full ? states : nn.functional.pad(states, [0, 0, 0, full - length]); // [T, L, D]
    }

    /// <param name="pixels">[B, F, 3, S, S] CLIP-normalised</param>
    /// <param name="frameMask">[B, F] bool</param>
    /// <param name="zeroShot">mean pooling and class-token-similarity patch choice instead of the untrained heads</param>
    /// <param name="selectPatches">false keeps every patch (ablation)</param>
    /// <param name="perturbation">non-null in training: perturbed top-k with this noise source</param>
    /// <returns>video [B, D]; the patch stream [B, Fc, 1+K, D], per frame its class token then its K patches (K = P
    /// without selection), L2-normalised with padded frames zero (the authors' mode keeps the unnormalised tokens
    /// their patch stream is made of); patch indices [B, Fc, K]; Fc = the configured frame count</returns>
    public (Tensor Video, Tensor Stream, Tensor Indices, Tensor FrameMask) EncodeVideo(
        Tensor pixels, Tensor frameMask, bool zeroShot, bool selectPatches, Generator? perturbation)
    {
        var tokens = FrameTokens(pixels, frameMask, out var mask); // [B, Fc, 1+P, D], [B, Fc]
        var frames = tokens[.., .., 0]; // [B, Fc, D]
        var video = zeroShot ? TemporalEncoder.MeanPool(frames, mask) : ucofia.Temporal.call(frames, mask); // [B, D]
        var (patches, indices) = SelectPatches(tokens, mask, zeroShot, selectPatches, perturbation); // [B, Fc, K, D], [B, Fc, K]
        if (!config.Alignment.AuthorsPatchWord)
            (frames, patches) = (MaskedOps.Normalize(frames), MaskedOps.Normalize(patches));
        return (video, cat([frames.unsqueeze(2), patches], 2), indices, mask); // [B, Fc, 1+K, D]
    }

    /// <param name="sentence">[T, D]</param> <param name="words">[T, L, D]</param> <param name="wordMask">[T, L]</param>
    /// <param name="video">[V, D]</param> <param name="stream">[V, F, 1+K, D]</param> <param name="frameMask">[V, F]</param>
    /// <returns>video, frame and patch scores [T, V] (zeros where not requested) and per-frame cosines [T, V, F]</returns>
    public (Tensor Video, Tensor Frame, Tensor Patch, Tensor PerFrame) Score(
        Tensor sentence, Tensor words, Tensor wordMask, Tensor video, Tensor stream, Tensor frameMask,
        ScoreOptions options, bool zeroShot)
    {
        var (learned, tau, scale) = (!zeroShot, config.Alignment.Tau, LogitScale);
        var wanted = options.Granularities;
        var zero = zeros(sentence.shape[0], video.shape[0], dtype: sentence.dtype, device: sentence.device); // [T, V]
        var videoScore = wanted.Contains(Granularity.Video) ? ucofia.VideoSentence(sentence, video, scale, learned) : zero;
        // Frame–sentence compares cosines in both modes; only the authors' patch stream reads the raw tokens.
        var frames = stream.select(2, 0); // [V, F, D]
        var unitFrames = config.Alignment.AuthorsPatchWord ? MaskedOps.Normalize(frames) : frames; // [V, F, D]
        var (frameScore, perFrame) = ucofia.FrameSentence(sentence, unitFrames, frameMask, options.Aggregation, tau, scale, learned);
        var patchScore = wanted.Contains(Granularity.Patch)
            ? PatchWord(words, wordMask, stream, frameMask, options, learned)
            : zero;
        return (videoScore, wanted.Contains(Granularity.Frame) ? frameScore : zero, patchScore,
            perFrame.MaskedFill(frameMask.logical_not().unsqueeze(0), 0));
    }

    /// <param name="sentence">[T, D]</param>
    /// <returns>[T, D] the sentence through the video–sentence maps (the sentence itself in zero-shot mode)</returns>
    public Tensor VideoQuery(Tensor sentence, bool zeroShot) => ucofia.VideoQuery(sentence, learned: !zeroShot);

    /// <summary>The authors' initialisation of heads absent from a CLIP checkpoint: temporal blocks and frame
    /// positions copied from the first text layers and text positions (when widths match; otherwise they keep
    /// their random init). ISA matrices and D×D maps are already the identity.</summary>
    public void InitialiseHeadsFromText()
    {
        const string temporalPrefix = "ucofia.temporal.encoder.";
        var state = state_dict();
        using var _ = no_grad();
        foreach (var (name, target) in state.Where(kv => kv.Key.StartsWith(temporalPrefix, StringComparison.Ordinal)))
        {
            if (state.TryGetValue("text_model.encoder." + name[temporalPrefix.Length..], out var source)
                && source.shape.SequenceEqual(target.shape))
                target.copy_(source);
        }
        var positions = state["ucofia.temporal.frame_position_embeddings.weight"]; // [Fc, D]
        var textPositions = state["text_model.embeddings.position_embedding.weight"]; // [L, Ht]
        if (textPositions.shape[1] == positions.shape[1] && textPositions.shape[0] >= positions.shape[0])
            positions.copy_(textPositions[..(int)positions.shape[0]]);
    }

    /// <summary>Runs the vision tower on the real frames only and lays them out on the configured frame count.</summary>
    /// <returns>[B, Fc, 1+P, D] projected tokens, zero for padded frames; mask padded to [B, Fc]</returns>
    private Tensor FrameTokens(Tensor pixels, Tensor frameMask, out Tensor mask)
    {
        var (b, f, fc) = (pixels.shape[0], pixels.shape[1], (long)config.Alignment.NumFrames);
        if (f > fc)
            throw new ArgumentException($"got {f} frames per video, the model takes at most {fc}");
        mask = cat([frameMask, zeros(b, fc - f, dtype: ScalarType.Bool, device: frameMask.device)], 1); // [B, Fc]
        var source = frameMask.reshape(-1).nonzero().squeeze(1); // [N] real frames in the input layout
        var target = mask.reshape(-1).nonzero().squeeze(1); // [N] the same frames in the [B, Fc] layout
        var real = pixels.reshape(b * f, pixels.shape[2], pixels.shape[3], pixels.shape[4]).index_select(0, source); // [N, 3, S, S]
        var frameVideo = ScalarOps.Arange(b, pixels.device).unsqueeze(1).expand(b, f).reshape(-1).index_select(0, source); // [N]
        var projected = visual_projection.call(vision_model.call(real, frameVideo)); // [N, 1+P, D]
        var all = zeros(b * fc, projected.shape[1], projected.shape[2], dtype: projected.dtype, device: projected.device);
        return all.index_copy(0, target, projected).view(b, fc, projected.shape[1], projected.shape[2]); // [B, Fc, 1+P, D]
    }

    /// <param name="tokens">[B, F, 1+P, D]</param>
    /// <param name="mask">[B, F]</param>
    /// <returns>patches [B, F, K, D] (unnormalised) and their indices [B, F, K] in spatial order</returns>
    private (Tensor Patches, Tensor Indices) SelectPatches(Tensor tokens, Tensor mask, bool zeroShot, bool select,
        Generator? perturbation)
    {
        var patches = tokens[.., .., 1..]; // [B, F, P, D]
        var (b, f, p, d) = (patches.shape[0], patches.shape[1], patches.shape[2], patches.shape[3]);
        if (!select)
            return (patches, ScalarOps.Arange(p, tokens.device).expand(b, f, p));
        var k = config.Alignment.TopKPatches;
        var scores = zeroShot
            ? einsum("bfpd,bfd->bfp", MaskedOps.Normalize(patches), MaskedOps.Normalize(tokens[.., .., 0])) // [B, F, P]
            : ucofia.PatchSelector.call(tokens, mask); // [B, F, P]
        var flat = scores.reshape(b * f, p); // [BF, P]
        var indices = PerturbedTopK.Hard(flat, k); // [BF, K]
        if (perturbation is null)
        {
            var gathered = patches.reshape(b * f, p, d).gather(1, indices.unsqueeze(-1).expand(-1, -1, d)); // [BF, K, D]
            return (gathered.view(b, f, k, d), indices.view(b, f, k));
        }
        var soft = PerturbedTopK.Perturbed(flat, k, config.Alignment.PerturbedSamples, config.Alignment.PerturbedSigma,
            perturbation); // [BF, K, P]
        var mixed = einsum("nkp,npd->nkd", soft, patches.reshape(b * f, p, d)); // [BF, K, D]
        return (mixed.view(b, f, k, d), indices.view(b, f, k));
    }

    /// <returns>[T, V], computed over chunks of texts so the [T, L, V, P'] block stays bounded</returns>
    private Tensor PatchWord(Tensor words, Tensor wordMask, Tensor stream, Tensor frameMask, ScoreOptions options, bool learned)
    {
        // Positions padded in every text of the batch carry no weight anywhere: drop them (most of L for captions).
        var length = Math.Max(1, wordMask.sum(dim: 1).max().item<long>());
        (words, wordMask) = (words.narrow(1, 0, length), wordMask.narrow(1, 0, length)); // [T, L', D], [T, L']
        var (v, f, tokens) = (stream.shape[0], stream.shape[1], stream.shape[2]);
        var streamMask = frameMask.unsqueeze(2).expand(v, f, tokens).reshape(v, f * tokens); // [V, P']
        var chunk = Math.Max(1, PatchWordChunkElements / Math.Max(1, length * v * f * tokens));
        var parts = new List<Tensor>();
        for (long start = 0; start < words.shape[0]; start += chunk)
        {
            var count = Math.Min(chunk, words.shape[0] - start);
            // A scope per chunk frees its [c, L', V, P'] temporaries before the next: with many texts (an evaluation
            // of 1,000 × 1,000) they would otherwise pile up until the whole score is done.
            using var chunkScope = NewDisposeScope();
            var similarities = ucofia.WordPatchSimilarities(words.narrow(0, start, count), stream, learned); // [c, L', V, P']
            parts.Add(ucofia.PatchWord(similarities, wordMask.narrow(0, start, count), streamMask, options.Aggregation,
                options.Direction, config.Alignment.Tau, config.Alignment.AuthorsPatchWord ? null : LogitScale, learned)
                .MoveToOuterDisposeScope()); // [c, V]
        }
        return cat(parts, 0); // [T, V]
    }
}
