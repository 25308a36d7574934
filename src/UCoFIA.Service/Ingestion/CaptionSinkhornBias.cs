using UCoFIA.Model;
using UCoFIA.Service.Inference;
using UCoFIA.Storage;
using static TorchSharp.torch;

namespace UCoFIA.Service.Ingestion;

/// <summary>
/// Online Sinkhorn–Knopp for video → text, as the authors' <c>eval_v2t</c> normalises it: a bias per caption against
/// a bank of videos. The bank is a sample of the stored segments, drawn again at every refit and kept with the fit;
/// the scaling is refitted when the captions have grown by half, or the segments by half while the bank is not
/// full, or a bank segment was deleted. Before the first fit (fewer than two segments or captions) biases are zero.
/// </summary>
public sealed class CaptionSinkhornBias(
    ModelWorker worker,
    CaptionRepository captions,
    FeatureRepository features,
    SkFitRepository fits,
    IHostApplicationLifetime lifetime,
    ILogger<CaptionSinkhornBias> logger) : OnlineSinkhorn<VideoFeatureRows, EncodedText>(worker, fits, lifetime, logger)
{
    /// <summary>Videos in the bank at most: enough for a stable scaling, few enough that scoring a new caption stays cheap.</summary>
    public const int BankSize = 256;

    private const double RefitGrowth = 1.5;

    protected override SkGallery Gallery => SkGallery.Captions;

    /// <remarks>The captions play the text role of the score matrix; the bank videos, the queries, come out as rows.</remarks>
    protected override float[][] ScoreBlock(UCoFIAModel model, VideoFeatureRows[] bank, EncodedText[] items)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var scores = model.Score(FeatureTensors.ToTextFeatures(items, model.Device),
            FeatureTensors.ToVideoFeatures(bank, ModelSizes.Of(model.Config), model.Device)); // [G, Q]
        return SinkhornScores.Levels.Select(l => scores[l].t().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray()).ToArray(); // [Q, G]
    }

    /// <returns>The fit's bank videos in scaling order; none when one of them has been deleted since.</returns>
    protected override async Task<VideoFeatureRows[]> LoadBankAsync(SkFit fit, CancellationToken cancellationToken)
    {
        var loaded = (await features.LoadSegmentsAsync([.. fit.Bank], cancellationToken)).ToDictionary(v => v.Id, v => v.Features);
        return loaded.Count == fit.Bank.Count ? fit.Bank.Select(id => loaded[id]).ToArray() : [];
    }

    protected override async Task<IReadOnlyList<(Guid Id, EncodedText Item)>> LoadItemsAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var length = (await Worker.SizesAsync()).TextLength;
        return (await captions.LoadAsync([.. ids], cancellationToken)).Select(c => (c.Id, EncodedText.FromStored(c, length))).ToList();
    }

    protected override async Task<RefitPlan?> PlanRefitAsync(SkFit current, VideoFeatureRows[] currentBank, bool force, CancellationToken cancellationToken)
    {
        var (captionCount, videoCount) = (await captions.CountAsync(cancellationToken), await features.CountSegmentsAsync(cancellationToken));
        var due = force
            || current.Version == 0
            || captionCount >= current.GallerySize * RefitGrowth
            || currentBank.Length != current.Bank.Count
            || (current.Bank.Count < BankSize && videoCount >= current.Bank.Count * RefitGrowth);
        if (!due || captionCount < 2 || videoCount < 2)
        {
            return null;
        }
        var all = await features.SegmentIdsAsync(cancellationToken);
        // Evenly spaced over the id order (creation order for v7 ids), so the bank spans the gallery's history.
        var bankIds = Enumerable.Range(0, Math.Min(BankSize, all.Count)).Select(i => all[(int)((long)i * all.Count / Math.Min(BankSize, all.Count))]).ToList();
        var bank = (await features.LoadSegmentsAsync(bankIds, cancellationToken)).ToDictionary(v => v.Id, v => v.Features);
        bankIds = bankIds.Where(bank.ContainsKey).ToList();
        return new RefitPlan(await captions.AllIdsAsync(cancellationToken), bankIds.Select(id => bank[id]).ToArray(), bankIds);
    }
}
