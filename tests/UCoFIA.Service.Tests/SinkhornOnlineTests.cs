using UCoFIA.Model;
using UCoFIA.Service.Search;
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
        // the fitted state is saved after the biases, so once it names three videos every bias is from that fit.
        await using var dataSource = DataSourceFactory.Create(factory.Database.ConnectionString);
        var states = new SkStateRepository(dataSource);
        for (var i = 0; i < 300 && (await states.GetAsync("patch", CancellationToken.None))?.GallerySize != ids.Count; i++)
        {
            await Task.Delay(100);
        }
        var videos = new VideoRepository(dataSource);
        var stored = new List<float[]>();
        foreach (var id in ids)
        {
            stored.Add((await videos.GetAsync(id, CancellationToken.None))!.SkBias!);
        }

        using var model = UCoFIAModel.Load(factory.ModelPath, "cpu");
        var loaded = await new FeatureRepository(dataSource).LoadVideoFeaturesAsync(ids, CancellationToken.None);
        var candidates = ids.Select(id => FeatureRows.ToCandidate(loaded.Single(l => l.Id == id),
            model.Config.Alignment.NumFrames, model.Config.Alignment.TopKPatches)).ToList();
        using var scope = NewDisposeScope();
        var bank = FeatureTensors.ToTextFeatures(FeatureTensors.EncodeTexts(model, TinyCheckpoint.Captions), model.Device);
        var scores = model.Score(bank, FeatureTensors.ToVideoFeatures(candidates, model.Config.Alignment.NumFrames,
            model.Config.Alignment.TopKPatches, model.Device));

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
