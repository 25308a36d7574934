using UCoFIA.Model;
using UCoFIA.Service.Inference;
using UCoFIA.Storage;
using static TorchSharp.torch;

namespace UCoFIA.Service.Tests;

public sealed class SinkhornOnlineTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task StoredBias_BankIsTheQuerySet_EqualsBatchSinkhornUpToAConstant()
    {
        using var client = factory.CreateClient();
        var ids = new List<Guid>();
        foreach (var (r, g, b) in new (byte, byte, byte)[] { (250, 0, 0), (0, 250, 0), (0, 0, 250) })
        {
            ids.Add((await client.IngestAsync(await TestVideos.Mp4Async(r, g, b))).GetProperty("videoId").GetGuid());
        }

        // The gallery has grown past 1.5× the last fit, so the service refits on all three videos in the background;
        // the fit and every bias it computed commit together, so once the fit names three videos they all carry it.
        await using var dataSource = DataSourceFactory.Create(factory.Database.ConnectionString);
        var fits = new SkFitRepository(dataSource);
        for (var i = 0; i < 300 && (await fits.GetAsync(SkGallery.Videos, CancellationToken.None)).GallerySize != ids.Count; i++)
        {
            await Task.Delay(100);
        }
        var fit = await fits.GetAsync(SkGallery.Videos, CancellationToken.None);
        // Each short clip is one segment, which carries the bias.
        var features = new FeatureRepository(dataSource);
        var loaded = await features.LoadSegmentsAsync(await features.SegmentIdsOfAsync(ids, CancellationToken.None), CancellationToken.None);
        var segments = ids.Select(id => loaded.Single(l => l.VideoId == id)).ToList();
        Assert.All(segments, s => Assert.Equal(fit.Version, s.Bias.Fit));
        var stored = segments.Select(s => s.Bias.Levels).ToList();
        Assert.Empty(await fits.StaleIdsAsync(SkGallery.Videos, fit.Version, CancellationToken.None));

        using var model = UCoFIAModel.Load(factory.ModelPath, "cpu");
        var candidates = segments.Select(s => s.Features).ToList();
        using var scope = NewDisposeScope();
        var bank = FeatureTensors.ToTextFeatures(FeatureTensors.EncodeTexts(model, TinyCheckpoint.Captions), model.Device);
        var scores = model.Score(bank, FeatureTensors.ToVideoFeatures(candidates, ModelSizes.Of(model.Config), model.Device));

        foreach (var level in new[] { Granularity.Video, Granularity.Frame, Granularity.Patch })
        {
            var batch = SinkhornKnopp.BatchLogBias(scores[level], model.Config.Alignment.SinkhornIterations).data<float>().ToArray();
            var shift = stored[0][(int)level] - batch[0];
            for (var v = 0; v < ids.Count; v++)
            {
                Assert.Equal(batch[v] + shift, stored[v][(int)level], 2);
            }
        }
    }
}
