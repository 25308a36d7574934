using Microsoft.Extensions.Options;
using UCoFIA.Model;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Options;
using UCoFIA.Service.Search;
using UCoFIA.Storage;
using static TorchSharp.torch;

namespace UCoFIA.Service.Ingestion;

/// <summary>
/// Online Sinkhorn–Knopp for text → video: a bias per segment against a fixed bank of sentences,
/// <c>sk_bank.txt</c> beside the checkpoint (one per line; without it biases are zero). The bank's scaling is
/// refitted on the whole gallery of segments when it has grown by half since the last fit.
/// </summary>
public sealed class SinkhornBias(
    ModelWorker worker,
    FeatureRepository features,
    SkFitRepository fits,
    FeatureCache cache,
    IHostApplicationLifetime lifetime,
    IOptions<ModelOptions> modelOptions,
    ILogger<SinkhornBias> logger) : OnlineSinkhorn<EncodedText, VideoFeatureRows>(worker, fits, lifetime, logger)
{
    public const string BankFile = "sk_bank.txt";
    private const double RefitGrowth = 1.5;

    private EncodedText[]? _bank;

    protected override SkGallery Gallery => SkGallery.Videos;

    protected override float[][] ScoreBlock(UCoFIAModel model, EncodedText[] bank, VideoFeatureRows[] items)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var scores = model.Score(FeatureTensors.ToTextFeatures(bank, model.Device),
            FeatureTensors.ToVideoFeatures(items, ModelSizes.Of(model.Config), model.Device));
        return SinkhornScores.Levels.Select(l => scores[l].cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray()).ToArray(); // [Q, G]
    }

    protected override async Task<EncodedText[]> LoadBankAsync(SkFit fit, CancellationToken cancellationToken)
    {
        if (_bank is null)
        {
            var path = Path.Combine(modelOptions.Value.Path, BankFile);
            var lines = File.Exists(path)
                ? (await File.ReadAllLinesAsync(path, cancellationToken)).Where(l => !string.IsNullOrWhiteSpace(l)).ToArray()
                : [];
            _bank = lines.Length == 0 ? [] : await Worker.EncodeTextsAsync(lines, cancellationToken, WorkLane.Background);
        }
        return _bank;
    }

    protected override async Task<IReadOnlyList<(Guid Id, VideoFeatureRows Item)>> LoadItemsAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken) =>
        (await features.LoadSegmentsAsync([.. ids], cancellationToken)).Select(v => (v.Id, v.Features)).ToList();

    protected override async Task<RefitPlan?> PlanRefitAsync(SkFit current, EncodedText[] currentBank, bool force, CancellationToken cancellationToken)
    {
        var count = await features.CountSegmentsAsync(cancellationToken);
        return currentBank.Length == 0 || count < 2 || (!force && count < current.GallerySize * RefitGrowth)
            ? null
            : new RefitPlan(await features.SegmentIdsAsync(cancellationToken), currentBank, null);
    }

    protected override void OnRefitted() => cache.Clear();
}
