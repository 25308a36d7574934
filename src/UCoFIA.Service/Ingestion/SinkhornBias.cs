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
/// scaling is refitted on the whole gallery and every bias recomputed, in the background.
/// The bank is <c>sk_bank.txt</c> beside the checkpoint (one sentence per line); without it biases are zero.
/// </summary>
public sealed class SinkhornBias(
    ModelWorker worker,
    VideoRepository videos,
    FeatureRepository features,
    SkStateRepository states,
    FeatureCache cache,
    IHostApplicationLifetime lifetime,
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
    private int _rebalancing;

    /// <summary>The log bias of one new video per granularity (video, frame, patch) given the bank's current scaling.</summary>
    public async Task<float[]> BiasForAsync(CandidateFeatures video, CancellationToken cancellationToken)
    {
        var (bank, scaling) = await StateAsync(cancellationToken);
        if (bank.Length == 0)
        {
            return new float[Levels.Length];
        }
        var scores = await BankScoresAsync(bank, [video], cancellationToken);
        return await worker.RunAsync(model => Biases(model, scaling, scores, 1)[0], cancellationToken);
    }

    /// <summary>
    /// Starts a refit in the background when the gallery has grown enough since the last one. It never runs on the
    /// path an ingestion job waits on: on a large gallery a refit takes minutes.
    /// </summary>
    public void RequestRebalance()
    {
        if (Interlocked.CompareExchange(ref _rebalancing, 1, 0) != 0)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await RefitIfDueAsync(lifetime.ApplicationStopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Sinkhorn–Knopp refit failed; the next ingestion retries it");
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Volatile.Write(ref _rebalancing, 0);
            }
        });
    }

    private async Task RefitIfDueAsync(CancellationToken cancellationToken)
    {
        var (bank, _) = await StateAsync(cancellationToken);
        if (bank.Length == 0)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var count = await videos.CountAsync(cancellationToken);
            if (count < 2 || count < _fittedSize * RefitGrowth)
            {
                return;
            }
            var alignment = (await worker.Model).Config.Alignment;
            var ids = await videos.AllIdsAsync(cancellationToken);
            var gallery = new List<CandidateFeatures>(ids.Count);
            foreach (var chunk in ids.Chunk(Reranker.BlockSize))
            {
                var stored = await features.LoadVideoFeaturesAsync(chunk, cancellationToken);
                gallery.AddRange(stored.Select(s => FeatureRows.ToCandidate(s, alignment.NumFrames, alignment.TopKPatches)));
            }
            // One scoring pass serves both the fit and the biases: a column's bias needs only its own scores.
            var scores = await BankScoresAsync(bank, gallery, cancellationToken);
            var (scaling, biases) = await worker.RunAsync(model =>
            {
                var fitted = Fit(model, scores, bank.Length, gallery.Count);
                return (fitted, Biases(model, fitted, scores, gallery.Count));
            }, cancellationToken);
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

    /// <summary>
    /// Bank × gallery scores per granularity as [Q × V] row-major arrays, one worker item per gallery block so that
    /// searches interleave with a long refit instead of waiting for all of it.
    /// </summary>
    private async Task<float[][]> BankScoresAsync(EncodedText[] bank, IReadOnlyList<CandidateFeatures> gallery, CancellationToken cancellationToken)
    {
        var levels = Levels.Select(_ => new float[bank.Length * gallery.Count]).ToArray();
        var start = 0;
        foreach (var block in gallery.Chunk(Reranker.BlockSize))
        {
            var blockScores = await worker.RunAsync(model => ScoreBlock(model, bank, block), cancellationToken); // per level [Q, Vb]
            for (var l = 0; l < Levels.Length; l++)
            {
                for (var q = 0; q < bank.Length; q++)
                {
                    Array.Copy(blockScores[l], q * block.Length, levels[l], q * gallery.Count + start, block.Length);
                }
            }
            start += block.Length;
        }
        return levels;
    }

    private static float[][] ScoreBlock(UCoFIAModel model, EncodedText[] bank, CandidateFeatures[] block)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var alignment = model.Config.Alignment;
        var scores = model.Score(FeatureTensors.ToTextFeatures(bank, model.Device),
            FeatureTensors.ToVideoFeatures(block, alignment.NumFrames, alignment.TopKPatches, model.Device));
        return Levels.Select(l => scores[l].cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray()).ToArray();
    }

    private static float[][] Fit(UCoFIAModel model, float[][] scores, int queries, int videos)
    {
        using var scope = NewDisposeScope();
        return scores.Select(s => SinkhornKnopp.FitQueryScaling(tensor(s).reshape(queries, videos), model.Config.Alignment.SinkhornIterations)
            .data<float>().ToArray()).ToArray();
    }

    /// <returns>[V][level] log bias of each gallery column given the bank scaling.</returns>
    private static float[][] Biases(UCoFIAModel model, float[][] scaling, float[][] scores, int videos)
    {
        using var scope = NewDisposeScope();
        var perLevel = Levels.Select((_, l) => SinkhornKnopp.IncrementalLogBias(tensor(scaling[l]),
            tensor(scores[l]).reshape(scaling[l].Length, videos)).data<float>().ToArray()).ToArray();
        return Enumerable.Range(0, videos).Select(v => perLevel.Select(level => level[v]).ToArray()).ToArray();
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
                _bank = lines.Length == 0 ? [] : await worker.RunAsync(model => FeatureTensors.EncodeTexts(model, lines), cancellationToken);
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
