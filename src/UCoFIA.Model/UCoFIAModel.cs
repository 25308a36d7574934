using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>
/// The model as the service and CLI see it: owns the modules, tokenizer and device, and exposes the three verbs
/// (<see cref="EncodeText"/>, <see cref="EncodeVideo"/>, <see cref="Score"/>) plus the training loss.
/// Not thread-safe: one worker should own an instance.
/// </summary>
public sealed class UCoFIAModel : IDisposable
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string VocabFile = "vocab.json";
    public const string MergesFile = "merges.txt";

    private static readonly Lock GlobalGeneratorLock = new();

    private readonly UCoFIAModule module;
    private readonly Generator perturbation;

    private UCoFIAModel(UCoFIAConfig config, ClipTokenizer tokenizer, Device device, int seed)
    {
        if (tokenizer.VocabSize > config.Text.VocabSize)
            throw new ArgumentException($"the tokenizer has {tokenizer.VocabSize} ids, the text embedding only {config.Text.VocabSize} rows");
        Config = config;
        Tokenizer = tokenizer;
        Device = device;
        // Seeding and the initialisation that draws from the seeded global generator are one step: two models built
        // at once (parallel test classes did) otherwise interleave their draws, and a seed no longer fixes the weights.
        lock (GlobalGeneratorLock)
        {
            random.manual_seed(seed);
            module = new UCoFIAModule(config);
        }
        perturbation = new Generator((ulong)seed);
    }

    public UCoFIAConfig Config { get; }

    public ClipTokenizer Tokenizer { get; }

    public Device Device { get; }

    /// <summary>
    /// true: the heads are untrained, so encoding and scoring use CLIP alone (mean-pooled frames, patches most
    /// similar to their frame's class token, identity matrices). Set it to false once the heads are fine-tuned;
    /// <see cref="Loss"/> always trains through the heads.
    /// </summary>
    public bool ZeroShot { get; set; }

    /// <summary>Loads a Hugging Face CLIP-layout folder: config.json, vocab.json, merges.txt and the weights as
    /// model.safetensors, sharded safetensors (model.safetensors.index.json) or pytorch_model.bin.</summary>
    /// <param name="device">auto, cpu or cuda</param>
    /// <param name="threads">libtorch CPU threads; null = all cores</param>
    /// <remarks>A checkpoint without <c>ucofia.*</c> tensors (plain CLIP) loads in zero-shot mode with the heads
    /// initialised as the authors do for fine-tuning (see <see cref="ZeroShot"/>).</remarks>
    public static UCoFIAModel Load(string folder, string device = "auto", int? threads = null)
    {
        TorchDevice.SetThreads(threads);
        var config = UCoFIAConfig.Load(Path.Combine(folder, ConfigFile));
        var tokenizer = ClipTokenizer.Load(Path.Combine(folder, VocabFile), Path.Combine(folder, MergesFile), config.Text.MaxPositions);
        var model = new UCoFIAModel(config, tokenizer, TorchDevice.Resolve(device), seed: 0);
        if (!Checkpoint.Load(model.module, folder))
        {
            model.module.InitialiseHeadsFromText();
            model.ZeroShot = true;
        }
        model.module.to(model.Device);
        return model;
    }

    /// <summary>A randomly initialised model (tests, training from scratch); heads initialised as the authors do.</summary>
    public static UCoFIAModel CreateRandom(UCoFIAConfig config, string vocabJson, string mergesTxt, int seed, string device = "cpu")
    {
        var tokenizer = ClipTokenizer.Load(vocabJson, mergesTxt, config.Text.MaxPositions);
        var model = new UCoFIAModel(config, tokenizer, TorchDevice.Resolve(device), seed);
        model.module.InitialiseHeadsFromText();
        model.module.to(model.Device);
        return model;
    }

    /// <summary>Writes config.json, model.safetensors (fp16 by default, heads included), vocab.json and merges.txt.</summary>
    public void Save(string folder, bool fp16 = true)
    {
        Directory.CreateDirectory(folder);
        Config.Save(Path.Combine(folder, ConfigFile));
        Checkpoint.Save(module, Path.Combine(folder, WeightsFile), fp16);
        Tokenizer.Save(folder);
    }

    /// <summary>Trainable parameters, for the optimiser.</summary>
    public IEnumerable<Parameter> Parameters() => module.parameters();

    /// <summary>Parameters by checkpoint name (e.g. to check which received gradients).</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters() => module.named_parameters();

    /// <summary>Encodes texts in one batch (no gradients).</summary>
    public TextFeatures EncodeText(IReadOnlyList<string> texts)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        module.eval();
        var (ids, mask) = Tokenizer.Encode(texts); // [T, L], [T, L]
        var (sentence, words, wordMask) = module.EncodeText(ids.to(Device), mask.to(Device));
        var tokenIds = Enumerable.Range(0, texts.Count).Select(t => ids[t][mask[t]].data<long>().Select(id => (int)id).ToArray()).ToArray();
        return new TextFeatures(sentence.MoveToOuterDisposeScope(), words.MoveToOuterDisposeScope(),
            wordMask.MoveToOuterDisposeScope(), tokenIds);
    }

    /// <summary>
    /// The vector a coarse recall should look up stored video vectors with: the sentence folded through the
    /// learned video–sentence maps and the logit scale (scale·t·G·G′ᵀ), so that its inner product with a video
    /// vector is the full model's video–sentence score, on the scale Sinkhorn–Knopp biases are added on. The plain
    /// sentence ranks by another metric whenever G·G′ᵀ ≠ I.
    /// </summary>
    /// <returns>[T, D], not normalised</returns>
    public Tensor RecallQuery(TextFeatures text)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return (module.LogitScale * module.VideoQuery(text.Sentence.to(Device), ZeroShot)).MoveToOuterDisposeScope();
    }

    /// <param name="frames">[B, F, 3, H, W] float, CLIP-normalised, H = W = image size; F ≤ the configured frame count</param>
    /// <param name="frameMask">[B, F] bool, false for padding frames</param>
    /// <param name="options">only <see cref="ScoreOptions.SelectPatches"/> matters here</param>
    /// <returns>features with the configured frame count (shorter inputs are padded and masked)</returns>
    public VideoFeatures EncodeVideo(Tensor frames, Tensor frameMask, ScoreOptions? options = null)
    {
        CheckFrames(frames, frameMask);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        module.eval();
        var (video, stream, indices, mask) = module.EncodeVideo(frames.to(ScalarType.Float32, Device),
            frameMask.to(ScalarType.Bool, Device), ZeroShot, (options ?? ScoreOptions.Default).SelectPatches, perturbation: null);
        return new VideoFeatures(video.MoveToOuterDisposeScope(), stream.MoveToOuterDisposeScope(),
            mask.MoveToOuterDisposeScope(), indices.MoveToOuterDisposeScope());
    }

    /// <summary>Scores every text against every video in one batched pass (no per-pair loop).</summary>
    public ScoreResult Score(TextFeatures text, VideoFeatures video, ScoreOptions? options = null)
    {
        options ??= ScoreOptions.Default;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        module.eval();
        var (v, f, p, perFrame) = module.Score(text.Sentence.to(Device), text.Words.to(Device), text.WordMask.to(Device),
            video.Video.to(Device), video.Stream.to(Device), video.FrameMask.to(Device), options, ZeroShot);
        return new ScoreResult(v.MoveToOuterDisposeScope(), f.MoveToOuterDisposeScope(), p.MoveToOuterDisposeScope(),
            perFrame.MoveToOuterDisposeScope(), options.Granularities);
    }

    /// <summary>
    /// Which patches each word of one text attends to in one video: the ISA weights the patch–word score gives the
    /// video's patch stream for each word (<see cref="PatchWordEvidence"/>), computed as <see cref="Score"/> does.
    /// </summary>
    /// <param name="text">one text</param>
    /// <param name="video">one video (or segment)</param>
    public PatchWordEvidence ExplainPatchWord(TextFeatures text, VideoFeatures video)
    {
        if (text.Count != 1 || video.Count != 1)
            throw new ArgumentException($"explains one text against one video, got {text.Count} × {video.Count}");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        module.eval();
        return PatchWordEvidence.Compute(module.Heads, Config.Alignment.Tau, text.Words.to(Device), text.WordMask.to(Device),
            video.Stream.to(Device), video.FrameMask.to(Device), learned: !ZeroShot);
    }

    /// <summary>
    /// Training forward with gradients: text i matches video i. Puts the module in training mode, encodes both
    /// sides with the heads (perturbed top-k patch choice, seeded), and returns symmetric InfoNCE losses.
    /// </summary>
    /// <param name="texts">B captions</param>
    /// <param name="frames">[B, F, 3, H, W]</param>
    /// <param name="frameMask">[B, F] bool</param>
    public TrainingLoss Loss(IReadOnlyList<string> texts, Tensor frames, Tensor frameMask, ScoreOptions? options = null)
    {
        CheckFrames(frames, frameMask);
        if (texts.Count != frames.shape[0])
            throw new ArgumentException($"{texts.Count} texts for {frames.shape[0]} videos: training pairs text i with video i");
        options ??= ScoreOptions.Default;
        using var scope = NewDisposeScope();
        module.train();
        var (ids, tokenMask) = Tokenizer.Encode(texts);
        var (sentence, words, wordMask) = module.EncodeText(ids.to(Device), tokenMask.to(Device));
        var (video, stream, _, mask) = module.EncodeVideo(frames.to(ScalarType.Float32, Device),
            frameMask.to(ScalarType.Bool, Device), zeroShot: false, options.SelectPatches, perturbation);
        var (v, f, p, _) = module.Score(sentence, words, wordMask, video, stream, mask,
            options with { Granularities = ScoreOptions.AllGranularities }, zeroShot: false);
        var byGranularity = new Dictionary<Granularity, Tensor> { [Granularity.Video] = v, [Granularity.Frame] = f, [Granularity.Patch] = p };
        var unified = options.Granularities.Select(g => byGranularity[g]).Aggregate((a, b) => a.Plus(b)).Over(options.Granularities.Count); // [B, B]
        return new TrainingLoss(ContrastiveLoss.Symmetric(unified).MoveToOuterDisposeScope(),
            ContrastiveLoss.Symmetric(v).MoveToOuterDisposeScope(), ContrastiveLoss.Symmetric(f).MoveToOuterDisposeScope(),
            ContrastiveLoss.Symmetric(p).MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        module.Dispose();
        perturbation.Dispose();
    }

    private void CheckFrames(Tensor frames, Tensor frameMask)
    {
        var size = Config.Vision.ImageSize;
        if (frames.dim() != 5 || frames.shape[2] != 3 || frames.shape[3] != size || frames.shape[4] != size)
            throw new ArgumentException($"frames must be [B, F, 3, {size}, {size}], got [{string.Join(", ", frames.shape)}]");
        if (!frameMask.shape.SequenceEqual(frames.shape[..2]))
            throw new ArgumentException("frame mask must be [B, F] like the frames");
    }
}
