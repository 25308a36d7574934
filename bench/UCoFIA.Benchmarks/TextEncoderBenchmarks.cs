using BenchmarkDotNet.Attributes;
using UCoFIA.Model;

/// <summary>
/// A search query through a ViT-B/32-sized text tower (12 layers, width 512, 8 heads, 77 positions; random weights),
/// as <see cref="UCoFIAModel.EncodeText"/> runs it for the service: only the query's real tokens go through the
/// tower. FLOPs ≈ 2 · 12 · N · (12·H² + 2·N·H) for N tokens of width H, the projection aside.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(RerankKernelBenchmarks.InProcessShortRun))]
public class TextEncoderBenchmarks
{
    private UCoFIAModel _model = null!;

    /// <summary>Tokens with start and end: the query's length decides the cost, not the 77-token context.</summary>
    [Params(20)]
    public int Tokens { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = new UCoFIAConfig
        {
            Text = new TextConfig { VocabSize = RandomModels.VocabSize },
            Vision = RandomModels.UnusedVision,
            Temporal = new TemporalConfig { NumLayers = 1, NumHeads = 8 },
        };
        _model = RandomModels.Create(config, seed: 5);
        TorchDevice.SetThreads(int.TryParse(Environment.GetEnvironmentVariable("UCOFIA_THREADS"), out var n) ? n : 1);
    }

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();

    [Benchmark]
    public int EncodeQuery()
    {
        var words = string.Join(' ', Enumerable.Repeat("circle", Tokens - 2));
        using var features = _model.EncodeText([words]);
        return features.TokenIds![0].Length;
    }
}
