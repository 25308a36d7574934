using Microsoft.Extensions.Options;
using UCoFIA.Model;
using UCoFIA.Service.Options;
using UCoFIA.Storage;
using static TorchSharp.torch;

namespace UCoFIA.Service.Search;

/// <summary>
/// Online Sinkhorn–Knopp. The paper normalises the whole query × gallery matrix at once; a service answers one
/// query at a time, so it keeps what SK produces per video instead: a log bias per granularity, computed at
/// ingestion against a fixed query bank and the bank's fitted scaling, stored on the video row and added to its
/// scores at query time (free at search). When the gallery has grown by half since the last fit, the bank's
/// scaling is refitted on the whole gallery and every bias recomputed.
/// The bank is <c>sk_bank.txt</c> beside the checkpoint (one sentence per line); without it biases are zero.
/// </summary>
public sealed class SinkhornBias(
    ModelWorker worker,
    VideoRepository videos,
    FeatureRepository features,
    SkStateRepository states,
    FeatureCache cache,
    IOptions<ModelOptions> modelOptions,
    ILogger<SinkhornBias> logger)
{
    public const string BankFile = "sk_bank.txt";
    private const double RefitGrowth = 1.5;
    private static readonly Granularity[] Levels = [Granularity.Video, Granularity.Frame, Granularity.Patch];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private EncodedText[]? _bank;
    private float[][]? _scaling;
    private int _fittedSize = -1;

    /// <summary>The log bias of one new video per granularity (video, frame, patch) given the bank's current scaling.</summary>
    public async Task<float[]> BiasForAsync(CandidateFeatures video, CancellationToken cancellationToken)
    {
        var (bank, scaling) = await StateAsync(cancellationToken);
        return bank.Length == 0 ? new float[Levels.Length] : (await BiasesAsync(bank, scaling, [video], cancellationToken))[0];
    }

    /// <summary>Refits the bank scaling on the whole gallery once it has grown enough since the last fit.</summary>
    public Task RebalanceIfDueAsync(CancellationToken cancellationToken) => RefitAsync(onlyIfDue: true, cancellationToken);

    /// <summary>Fits the scaling on every stored video now and rewrites all biases.</summary>
    public Task RefitAsync(CancellationToken cancellationToken) => RefitAsync(onlyIfDue: false, cancellationToken);

    private async Task RefitAsync(bool onlyIfDue, CancellationToken cancellationToken)
    {
        var (bank, _) = await StateAsync(cancellationToken);
        if (bank.Length == 0)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Checked under the gate: jobs finishing together must not each refit the same gallery.
            var count = await videos.CountAsync(cancellationToken);
            if (count == 0 || (onlyIfDue && (count < 2 || count < _fittedSize * RefitGrowth)))
            {
                return;
            }
            var model = await worker.Model;
            var ids = await videos.AllIdsAsync(cancellationToken);
            var gallery = new List<CandidateFeatures>(ids.Count);
            foreach (var chunk in ids.Chunk(Reranker.BlockSize))
            {
                var stored = await features.LoadVideoFeaturesAsync(chunk, cancellationToken);
                gallery.AddRange(stored.Select(s => FeatureRows.ToCandidate(s, model.Config.Alignment.NumFrames, model.Config.Alignment.TopKPatches)));
            }
            var scaling = await worker.RunAsync(m => FitScaling(m, bank, gallery), cancellationToken);
            var biases = await BiasesAsync(bank, scaling, gallery, cancellationToken);
            await videos.UpdateSkBiasAsync(gallery.Select((g, i) => (g.Id, biases[i])).ToDictionary(p => p.Id, p => p.Item2), cancellationToken);
            for (var l = 0; l < Levels.Length; l++)
            {
                await states.SaveAsync(Levels[l].ToString().ToLowerInvariant(), scaling[l], gallery.Count, cancellationToken);
            }
            _scaling = scaling;
            _fittedSize = gallery.Count;
            cache.Clear();
            logger.LogInformation("Refitted Sinkhorn–Knopp scaling on {Count} videos", gallery.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task<float[][]> BiasesAsync(EncodedText[] bank, float[][] scaling, IReadOnlyList<CandidateFeatures> gallery, CancellationToken cancellationToken) =>
        worker.RunAsync(model =>
        {
            using var scope = NewDisposeScope();
            var columns = BankScores(model, bank, gallery); // per level [Q, V]
            var perLevel = Levels.Select((_, l) =>
                SinkhornKnopp.IncrementalLogBias(tensor(scaling[l], device: model.Device), columns[l]).cpu().data<float>().ToArray()).ToArray();
            return gallery.Select((_, v) => perLevel.Select(level => level[v]).ToArray()).ToArray();
        }, cancellationToken);

    private static float[][] FitScaling(UCoFIAModel model, EncodedText[] bank, IReadOnlyList<CandidateFeatures> gallery)
    {
        using var scope = NewDisposeScope();
        var scores = BankScores(model, bank, gallery);
        return scores.Select(s => SinkhornKnopp.FitQueryScaling(s, model.Config.Alignment.SinkhornIterations).cpu().data<float>().ToArray()).ToArray();
    }

    /// <summary>Bank × gallery scores per granularity, [Q, V] each, computed in gallery blocks.</summary>
    private static Tensor[] BankScores(UCoFIAModel model, EncodedText[] bank, IReadOnlyList<CandidateFeatures> gallery)
    {
        using var _ = no_grad();
        var text = FeatureTensors.ToTextFeatures(bank, model.Device);
        var blocks = gallery.Chunk(Reranker.BlockSize).Select(block =>
        {
            var scores = model.Score(text, FeatureTensors.ToVideoFeatures(block, model.Config.Alignment.NumFrames, model.Config.Alignment.TopKPatches, model.Device));
            return new[] { scores.Video, scores.Frame, scores.Patch };
        }).ToList();
        return Enumerable.Range(0, Levels.Length).Select(l => cat(blocks.Select(b => b[l]).ToList(), 1)).ToArray();
    }

    private async Task<(EncodedText[] Bank, float[][] Scaling)> StateAsync(CancellationToken cancellationToken)
    {
        if (_bank is not null && _scaling is not null)
        {
            return (_bank, _scaling);
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_bank is null)
            {
                var path = Path.Combine(modelOptions.Value.Path, BankFile);
                var lines = File.Exists(path)
                    ? (await File.ReadAllLinesAsync(path, cancellationToken)).Where(l => !string.IsNullOrWhiteSpace(l)).ToArray()
                    : [];
                _bank = lines.Length == 0 ? [] : await worker.EncodeTextsAsync(lines, cancellationToken);
            }
            if (_scaling is null)
            {
                var scaling = new float[Levels.Length][];
                var fittedSize = 0;
                for (var l = 0; l < Levels.Length; l++)
                {
                    var state = await states.GetAsync(Levels[l].ToString().ToLowerInvariant(), cancellationToken);
                    // Before any fit, a uniform scaling: the bias is then the column's own log-partition.
                    scaling[l] = state?.QueryScaling.Length == _bank.Length ? state.QueryScaling : new float[_bank.Length];
                    fittedSize = state?.GallerySize ?? 0;
                }
                _scaling = scaling;
                _fittedSize = fittedSize;
            }
            return (_bank, _scaling);
        }
        finally
        {
            _gate.Release();
        }
    }
}
