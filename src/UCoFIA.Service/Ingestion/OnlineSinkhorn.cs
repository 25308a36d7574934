using UCoFIA.Model;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Search;
using UCoFIA.Storage;

namespace UCoFIA.Service.Ingestion;

/// <summary>
/// Online Sinkhorn–Knopp for one gallery. The paper normalises the whole query × gallery matrix at once; a service
/// answers one query at a time, so it keeps what SK produces per gallery item instead: a log bias per granularity,
/// computed when the item is written against a bank of queries and the bank's fitted scaling, stored on the item's
/// row and added to its scores at query time (free at search). When the gallery has grown enough, the scaling is
/// refitted on the whole gallery and every bias recomputed, in the background.
/// Each bias carries the version of the fit it was computed under; the database refuses an item whose fit is no
/// longer current (the writer calls <see cref="FitMoved"/> and recomputes) and the refit recomputes the items written
/// while it ran, so no item keeps an old fit's bias, whatever the order of writes and refits.
/// </summary>
/// <typeparam name="TBank">A bank query: a text (text → video) or a video (video → text).</typeparam>
/// <typeparam name="TItem">A gallery item: a video's features, or a caption's.</typeparam>
public abstract class OnlineSinkhorn<TBank, TItem>(ModelWorker worker, SkFitRepository fits, IHostApplicationLifetime lifetime, ILogger logger)
{
    /// <summary>Bank × item pairs scored per worker call: about a tenth of a second with the default model (16,384 took about a second).</summary>
    private const int PairsPerCall = 2_048;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (TBank[] Bank, SkFit Fit)? _state;
    private int _rebalancing;
    private int _requested;

    protected abstract SkGallery Gallery { get; }

    protected ModelWorker Worker => worker;

    /// <summary>Per level, [Q, G] row-major scores of the bank against a block of items.</summary>
    protected abstract float[][] ScoreBlock(UCoFIAModel model, TBank[] bank, TItem[] items);

    /// <summary>The bank <paramref name="fit"/> was computed with; empty when there is none (biases are then zero).</summary>
    protected abstract Task<TBank[]> LoadBankAsync(SkFit fit, CancellationToken cancellationToken);

    /// <summary>The gallery items with these ids (unknown ids skipped).</summary>
    protected abstract Task<IReadOnlyList<(Guid Id, TItem Item)>> LoadItemsAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken);

    /// <summary>Whether a refit is due, and if so the items and the bank (with its ids when it is made of stored items) to fit on.</summary>
    /// <param name="force">Refit whenever it is possible at all, however little the gallery has grown.</param>
    protected abstract Task<RefitPlan?> PlanRefitAsync(SkFit current, TBank[] currentBank, bool force, CancellationToken cancellationToken);

    /// <summary>Runs after a refit committed: caches of the biased items must forget them.</summary>
    protected virtual void OnRefitted()
    {
    }

    /// <summary>The log bias of new items under the current fit.</summary>
    public async Task<IReadOnlyList<SkBias>> BiasesForAsync(IReadOnlyList<TItem> items, CancellationToken cancellationToken)
    {
        var (bank, fit) = await StateAsync(cancellationToken);
        if (bank.Length == 0)
        {
            return items.Select(_ => SkBias.None(fit.Version)).ToList();
        }
        var scores = await BankScoresAsync(bank, items, WorkLane.Background, cancellationToken);
        var levels = await worker.RunAsync(_ => SinkhornScores.Biases(fit.QueryScaling, scores, items.Count), cancellationToken, WorkLane.Background);
        return levels.Select(l => SkBias.FromLevels(l, fit.Version)).ToList();
    }

    /// <summary>
    /// Writes new items with their biases under the current fit. When <paramref name="write"/> refuses them (a refit
    /// committed since the biases were computed), computes them again under the new fit and retries.
    /// </summary>
    /// <param name="write">Stores the items with these biases, one per item; false when their fit is no longer current.</param>
    public async Task WriteAsync(IReadOnlyList<TItem> items, Func<IReadOnlyList<SkBias>, Task<bool>> write, CancellationToken cancellationToken)
    {
        while (!await write(await BiasesForAsync(items, cancellationToken)))
        {
            FitMoved();
        }
    }

    /// <summary>Forgets the fit read before: the database has a newer one (another refit, perhaps on another instance).</summary>
    public void FitMoved() => _state = null;

    /// <summary>
    /// Refits now and waits for it, however little the gallery has grown: after <c>ucofia reindex</c> every item's
    /// features are new, and a scaling fitted on the old ones means nothing for them.
    /// </summary>
    /// <returns>How many items the fit covers; null when there is nothing to fit (no query bank, or fewer than two items).</returns>
    public Task<int?> RefitAsync(CancellationToken cancellationToken) => RefitIfDueAsync(force: true, cancellationToken);

    /// <summary>
    /// Starts a refit in the background when it is due. It never runs on the path a writer waits on: on a large
    /// gallery a refit takes minutes. A request made while a refit runs is not lost: the gallery may have grown
    /// meanwhile, so the check runs again once the refit ends.
    /// </summary>
    public void RequestRebalance()
    {
        Volatile.Write(ref _requested, 1);
        if (Interlocked.CompareExchange(ref _rebalancing, 1, 0) != 0)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                while (Interlocked.Exchange(ref _requested, 0) == 1)
                {
                    await RefitIfDueAsync(force: false, lifetime.ApplicationStopping);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Sinkhorn–Knopp refit of the {Gallery} gallery failed; the next write retries it", Gallery);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Volatile.Write(ref _rebalancing, 0);
            }
            if (Volatile.Read(ref _requested) == 1 && !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                RequestRebalance();
            }
        });
    }

    private async Task<int?> RefitIfDueAsync(bool force, CancellationToken cancellationToken)
    {
        var (currentBank, current) = await StateAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (await PlanRefitAsync(current, currentBank, force, cancellationToken) is not { } plan)
            {
                return null;
            }
            // Across instances too, one refit at a time: another instance's fit reaches this one through its version.
            // Taken only once a refit is due, so the check after every ingestion costs no extra connection.
            await using var refitLock = await fits.TryLockRefitAsync(Gallery, cancellationToken);
            if (refitLock is null)
            {
                return null;
            }
            var gallery = await LoadInBlocksAsync(plan.Items, cancellationToken);
            // One scoring pass serves both the fit and the biases: an item's bias needs only its own scores.
            var scores = await BankScoresAsync(plan.Bank, gallery.Select(g => g.Item).ToList(), WorkLane.Maintenance, cancellationToken);
            var (scaling, biases) = await worker.RunAsync(model =>
            {
                var fitted = SinkhornScores.Fit(model, scores, plan.Bank.Length, gallery.Count);
                return (fitted, SinkhornScores.Biases(fitted, scores, gallery.Count));
            }, cancellationToken, WorkLane.Maintenance);
            var version = await fits.CommitFitAsync(Gallery, scaling, gallery.Count, ById(gallery, biases), cancellationToken, plan.BankIds);
            var fit = new SkFit(version, scaling, gallery.Count, plan.BankIds ?? []);
            _state = (plan.Bank, fit);
            await RecomputeStaleAsync(plan.Bank, fit, cancellationToken);
            OnRefitted();
            logger.LogInformation("Refitted Sinkhorn–Knopp scaling of the {Gallery} gallery on {Count} items (fit {Version})", Gallery, gallery.Count, version);
            return gallery.Count;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Items committed while the fit was computed still carry the old fit's bias: recompute them under the new one.</summary>
    private async Task RecomputeStaleAsync(TBank[] bank, SkFit fit, CancellationToken cancellationToken)
    {
        var stale = await LoadInBlocksAsync(await fits.StaleIdsAsync(Gallery, fit.Version, cancellationToken), cancellationToken);
        if (stale.Count == 0)
        {
            return;
        }
        var scores = await BankScoresAsync(bank, stale.Select(s => s.Item).ToList(), WorkLane.Maintenance, cancellationToken);
        var biases = await worker.RunAsync(_ => SinkhornScores.Biases(fit.QueryScaling, scores, stale.Count), cancellationToken, WorkLane.Maintenance);
        // A newer fit committed meanwhile recomputes them itself.
        await fits.UpdateBiasesAsync(Gallery, ById(stale, biases), fit.Version, cancellationToken);
    }

    private static Dictionary<Guid, float[]> ById(IReadOnlyList<(Guid Id, TItem Item)> items, float[][] biases) =>
        items.Select((item, i) => (item.Id, biases[i])).ToDictionary(p => p.Id, p => p.Item2);

    private async Task<List<(Guid Id, TItem Item)>> LoadInBlocksAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var items = new List<(Guid, TItem)>(ids.Count);
        foreach (var chunk in ids.Chunk(Reranker.BlockSize))
        {
            items.AddRange(await LoadItemsAsync(chunk, cancellationToken));
        }
        return items;
    }

    /// <summary>
    /// Bank × items scores per granularity as [Q × G] row-major arrays, one worker item per block of about
    /// <see cref="PairsPerCall"/> bank × item pairs, so that searches and jobs interleave with a long refit instead of
    /// waiting for all of it (a block of 256 items against a 500-query bank held the worker for seconds).
    /// </summary>
    private async Task<float[][]> BankScoresAsync(TBank[] bank, IReadOnlyList<TItem> items, WorkLane lane, CancellationToken cancellationToken)
    {
        var levels = SinkhornScores.Levels.Select(_ => new float[bank.Length * items.Count]).ToArray();
        var start = 0;
        foreach (var block in items.Chunk(Math.Clamp(PairsPerCall / Math.Max(1, bank.Length), 1, Reranker.BlockSize)))
        {
            var blockScores = await worker.RunAsync(model => ScoreBlock(model, bank, block), cancellationToken, lane); // per level [Q, Gb]
            for (var l = 0; l < levels.Length; l++)
            {
                for (var q = 0; q < bank.Length; q++)
                {
                    Array.Copy(blockScores[l], q * block.Length, levels[l], q * items.Count + start, block.Length);
                }
            }
            start += block.Length;
        }
        return levels;
    }

    private async Task<(TBank[] Bank, SkFit Fit)> StateAsync(CancellationToken cancellationToken)
    {
        if (_state is { } known)
        {
            return known;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var fit = await fits.GetAsync(Gallery, cancellationToken);
            var bank = await LoadBankAsync(fit, cancellationToken);
            // Before any fit, a uniform scaling: the bias is then the item's own log-partition over the bank.
            fit = fit with { QueryScaling = fit.QueryScaling.Select(s => s.Length == bank.Length ? s : new float[bank.Length]).ToArray() };
            _state = (bank, fit);
            return (bank, fit);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <param name="Items">The gallery items to fit on.</param>
    /// <param name="BankIds">The stored items the bank is made of, kept with the fit; null for a bank of its own.</param>
    protected sealed record RefitPlan(IReadOnlyList<Guid> Items, TBank[] Bank, IReadOnlyList<Guid>? BankIds);
}
