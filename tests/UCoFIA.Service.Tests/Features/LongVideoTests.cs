using System.Net;
using UCoFIA.Service.Inference;

namespace UCoFIA.Service.Tests.Features;

/// <summary>A 20-minute video cut into segments: a scene that lasts half a minute is found where it is.</summary>
public sealed class LongVideoTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const int Minutes = 20;
    private const double SceneStart = 13 * 60;
    private const double SceneEnd = SceneStart + 30;

    [Fact]
    public async Task Search_SceneAtMinute13OfA20MinuteVideo_TopHitsFirstMomentCoversIt()
    {
        // The shipped model, trained on the synthetic world's colours: a random tiny model's features of flat
        // colours are too alike to tell a red minute from a grey-blue one.
        factory.Settings["Model:Path"] = Path.Combine(Architecture.ServiceFoldersTests.RepositoryRoot(), "models", "default");
        using var client = factory.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            // None of them red: greys and blues, like the rest of the long video.
            await client.IngestAsync(await TestVideos.Mp4Async((byte)(10 * i), (byte)(60 + 5 * i), (byte)(120 + 6 * i)));
        }
        var job = await client.IngestAsync(await LongVideoAsync());
        Assert.Equal("succeeded", job.GetProperty("state").GetString());
        var longVideo = job.GetProperty("videoId").GetGuid();

        var body = await client.SearchByImageAsync(TestVideos.SolidJpeg(64, 230, 20, 20));
        var top = body.GetProperty("results")[0];
        var moment = top.GetProperty("moments")[0];

        Assert.Equal(longVideo, top.GetProperty("videoId").GetGuid());
        Assert.True(moment.GetProperty("start").GetDouble() < SceneEnd && moment.GetProperty("end").GetDouble() > SceneStart,
            $"first moment {moment} does not reach the scene at {SceneStart}–{SceneEnd} s; best segment {top.GetProperty("bestSegment")}");
        // The video was cut into segments, and recall counted them: 20 single-segment clips and the long video's ~100.
        Assert.True(body.GetProperty("candidates").GetInt32() > 100);
        using var frame = await client.GetAsync($"/api/videos/{longVideo}/frames/{moment.GetProperty("frame").GetInt32()}.jpg");
        Assert.Equal(HttpStatusCode.OK, frame.StatusCode);
    }

    /// <summary>20 minutes at one frame per second of slowly changing grey-blue, red from minute 13 for 30 s.</summary>
    private static Task<byte[]> LongVideoAsync() =>
        TestVideos.FromFramesAsync(Enumerable.Range(0, Minutes * 60).Select(t => t >= SceneStart && t < SceneEnd
            ? TestVideos.Solid(64, 230, 20, 20)
            : TestVideos.Solid(64, (byte)(40 + t % 60), (byte)(70 + t % 50), (byte)(150 + t % 40))).ToList(), 64, 1);
}
