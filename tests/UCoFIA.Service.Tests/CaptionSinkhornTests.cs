using System.Net.Http.Json;
using System.Text.Json;
using UCoFIA.Model;
using UCoFIA.Service.Inference;
using UCoFIA.Storage;
using static TorchSharp.torch;

namespace UCoFIA.Service.Tests;

/// <summary>Video → text Sinkhorn–Knopp: a bias per caption against a bank of stored videos, used by caption search.</summary>
public sealed class CaptionSinkhornTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private static readonly (byte R, byte G, byte B, string Caption)[] Clips =
        [(250, 0, 0, "a red screen"), (0, 250, 0, "a green screen"), (0, 0, 250, "a blue screen")];

    [Fact]
    public async Task CaptionBias_BankIsTheGallery_EqualsBatchSinkhornUpToAConstantAndShiftsTheRanking()
    {
        using var client = factory.CreateClient();
        var videoIds = new List<Guid>();
        foreach (var (r, g, b, caption) in Clips)
        {
            videoIds.Add((await client.IngestAsync(await TestVideos.Mp4Async(r, g, b), captions: [caption])).GetProperty("videoId").GetGuid());
        }

        // With three videos and three captions the first caption fit is due; its bank is every stored segment
        // (one per short clip).
        await using var dataSource = DataSourceFactory.Create(factory.Database.ConnectionString);
        var fits = new SkFitRepository(dataSource);
        for (var i = 0; i < 300 && (await fits.GetAsync(SkGallery.Captions, CancellationToken.None)).GallerySize != Clips.Length; i++)
        {
            await Task.Delay(100);
        }
        var fit = await fits.GetAsync(SkGallery.Captions, CancellationToken.None);
        var segmentIds = await new FeatureRepository(dataSource).SegmentIdsOfAsync(videoIds, CancellationToken.None);
        Assert.Equal(segmentIds.Order(), fit.Bank.Order());
        Assert.Empty(await fits.StaleIdsAsync(SkGallery.Captions, fit.Version, CancellationToken.None));
        var captions = new CaptionRepository(dataSource);
        var stored = (await captions.LoadAsync(await captions.AllIdsAsync(CancellationToken.None), CancellationToken.None)).ToDictionary(c => c.Text);
        var ordered = Clips.Select(c => stored[c.Caption]).ToList();

        // Batch SK over the [videos × captions] matrix gives the same per-caption bias up to one constant per level.
        using var model = UCoFIAModel.Load(factory.ModelPath, "cpu");
        var loaded = (await new FeatureRepository(dataSource).LoadSegmentsAsync(fit.Bank.ToList(), CancellationToken.None)).ToDictionary(v => v.Id);
        using (NewDisposeScope())
        {
            var texts = FeatureTensors.ToTextFeatures(ordered.Select(c => EncodedText.FromStored(c, model.Config.Text.MaxPositions)).ToList(), model.Device);
            var scores = model.Score(texts, FeatureTensors.ToVideoFeatures(fit.Bank.Select(id => loaded[id].Features).ToList(), ModelSizes.Of(model.Config), model.Device));
            foreach (var level in new[] { Granularity.Video, Granularity.Frame, Granularity.Patch })
            {
                var batch = SinkhornKnopp.BatchLogBias(scores[level].t(), model.Config.Alignment.SinkhornIterations).data<float>().ToArray();
                var shift = ordered[0].SkBias.Levels[(int)level] - batch[0];
                for (var c = 0; c < ordered.Count; c++)
                {
                    Assert.Equal(fit.Version, ordered[c].SkBias.Fit);
                    Assert.Equal(batch[c] + shift, ordered[c].SkBias.Levels[(int)level], 2);
                }
            }
        }

        // Caption search adds the bias (the mean over the levels combined); 'sinkhorn': false leaves it out.
        var withBias = await SearchAsync(client, videoIds[0], sinkhorn: true);
        var raw = await SearchAsync(client, videoIds[0], sinkhorn: false);
        foreach (var caption in ordered)
        {
            Assert.Equal(raw[caption.Id] + caption.SkBias.Levels.Average(), withBias[caption.Id], 3);
        }
    }

    private static async Task<Dictionary<Guid, double>> SearchAsync(HttpClient client, Guid videoId, bool sinkhorn)
    {
        using var response = await client.PostAsJsonAsync("/api/search/captions", new { videoId, topK = 10, sinkhorn });
        var results = (await response.JsonAsync()).GetProperty("results").EnumerateArray();
        return results.ToDictionary(r => r.GetProperty("captionId").GetGuid(), r => r.GetProperty("score").GetDouble());
    }
}
