using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using UCoFIA.Model;
using static TorchSharp.torch;

/// <summary>
/// The re-rank kernel as the service calls it (<see cref="UCoFIAModel.Score"/> for one query against V candidates),
/// one granularity at a time, plus the batch Sinkhorn–Knopp bias, for two shapes: the shipped default model and a
/// ViT-B/32-shaped one (D = 512, F = 12, K = 3, L = 32; random weights and small towers, which the kernel never
/// runs). Notation: V candidates, D projection dim, F frames, K kept patches per frame, P′ = F(1+K), L text
/// positions, Q bank queries, I Sinkhorn iterations. One multiply-add counts as 2 FLOPs; exp/log/div count as 1.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRun))]
public class RerankKernelBenchmarks
{
    private UCoFIAModel _model = null!;
    private TextFeatures _text = null!;
    private VideoFeatures _videos = null!;
    private Tensor _bank = null!;

    [Params("default", "vit-b32")]
    public string Shape { get; set; } = "default";

    [Params(50, 200, 1000)]
    public int Candidates { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var threads = int.TryParse(Environment.GetEnvironmentVariable("UCOFIA_THREADS"), out var n) ? n : 1;
        _model = UCoFIAModel.Load(Shape == "default" ? DefaultModel() : ViTB32ShapedModel(), "cpu", threads);
        var c = _model.Config;
        int d = c.ProjectionDim, f = c.Alignment.NumFrames, k = c.Alignment.TopKPatches, v = Candidates;
        _text = _model.EncodeText(["a small red circle moves to the left over a striped blue background"]);
        // The FLOP counts below are stated for the positions the kernel really runs: the query's L' tokens.
        var words = _text.TokenIds![0].Length;
        Console.WriteLine($"// {Shape}: L' = {words}, P' = {f * (1 + k)}, D = {d}, V = {v}; word–patch GEMM = {2.0 * words * f * (1 + k) * d * v / 1e9:F4} GFLOP");
        var generator = manual_seed(7);
        _videos = new VideoFeatures(Unit(randn([v, d])), Unit(randn([v, f, 1 + k, d])), ones([v, f], ScalarType.Bool));
        _bank = randn([500, v]) * 5; // [Q, V] bank scores on the logit scale
        generator.Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _videos.Dispose();
        _text.Dispose();
        _bank.Dispose();
        _model.Dispose();
    }

    /// <summary>Frame–sentence ISA. FLOPs ≈ V·(2FD + 2F² + 12F): the [T,V,F] einsum, then softmax → ·W → softmax → weighted sum.</summary>
    [Benchmark]
    public float FrameIsa() => Run(Granularity.Frame);

    /// <summary>
    /// Patch–word Bi-ISA. FLOPs ≈ V·(2·L·P′·D + 2·P′·L² + 2·L·P′² + 2·L² + 2·P′² + 24·L·P′): the [T,L,V,P′]
    /// similarity einsum, then ISA over L for each patch and over P′ for each word (both orders), then the second stage.
    /// </summary>
    [Benchmark]
    public float PatchBiIsa() => Run(Granularity.Patch);

    /// <summary>All three granularities, as a search scores them: the sum of the two above plus 2VD for video–sentence.</summary>
    [Benchmark(Baseline = true)]
    public float AllGranularities() => Run(Granularity.Video, Granularity.Frame, Granularity.Patch);

    /// <summary>Batch Sinkhorn–Knopp log bias over a [Q=500, V] bank, I = 4, float64. FLOPs ≈ (2I + 1)·3·Q·V (logsumexp: add, exp, sum per element).</summary>
    [Benchmark]
    public float SinkhornBatch()
    {
        using var bias = SinkhornKnopp.BatchLogBias(_bank, _model.Config.Alignment.SinkhornIterations);
        return bias[0].item<float>();
    }

    private float Run(params Granularity[] granularities)
    {
        using var result = _model.Score(_text, _videos, new ScoreOptions { Granularities = granularities.ToHashSet() });
        return result.Unified(granularities.ToHashSet(), null)[0, 0].item<float>();
    }

    private static Tensor Unit(Tensor x) => x / x.norm(-1, keepdim: true);

    /// <summary>UCOFIA_MODEL, or the repository's models/default.</summary>
    private static string DefaultModel() =>
        Environment.GetEnvironmentVariable("UCOFIA_MODEL") ?? Path.Combine(RepositoryRoot(), "models", "default");

    /// <summary>
    /// Written once under .data/bench-models and loaded from there, so that another build of the benchmark (the
    /// baseline commit's, through UCOFIA_MODEL) scores the very same shapes and weights.
    /// </summary>
    private static string ViTB32ShapedModel()
    {
        var folder = Path.Combine(RepositoryRoot(), ".data", "bench-models", "vit-b32-kernel");
        if (File.Exists(Path.Combine(folder, UCoFIAModel.WeightsFile)))
            return folder;
        var config = new UCoFIAConfig
        {
            Text = new TextConfig { VocabSize = RandomModels.VocabSize, HiddenSize = 64, IntermediateSize = 128, NumHeads = 2, NumLayers = 1, MaxPositions = 32 },
            Vision = RandomModels.UnusedVision,
            Temporal = new TemporalConfig { NumLayers = 1, NumHeads = 8 },
            Alignment = new AlignmentConfig { NumFrames = 12, TopKPatches = 3 },
            ProjectionDim = 512,
        };
        using var model = RandomModels.Create(config, seed: 11);
        model.Save(folder, fp16: false);
        return folder;
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UCoFIA.Service.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("UCoFIA.Service.sln not found above the benchmark's folder.");
    }

    /// <summary>A short job in this process: no child build, which the RID-pinned, torch-patching build makes slow.</summary>
    internal sealed class InProcessShortRun : ManualConfig
    {
        public InProcessShortRun()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        }
    }
}
