using System.Net;
using System.Text.Json;
using static UCoFIA.Service.Tests.Reliability.BadInput;

namespace UCoFIA.Service.Tests.Reliability;

/// <summary>
/// Uploads that are odd but valid: extreme sizes and frame rates, a single frame, hostile strings in every form
/// field. Each is accepted, its job ends, and what is stored is whole and exactly what was sent.
/// </summary>
public sealed class OddUploadTests(ReliabilityHost host) : IClassFixture<ReliabilityHost>
{
    public static IEnumerable<object[]> OddVideos =>
        new[] { "s16x16.mp4", "s2x2.mp4", "s4000x16.mp4", "s16x4000.mp4", "r1000.mp4", "r0.5.mp4", "oneframe.mp4" }.Select(n => new object[] { n });

    public static IEnumerable<object[]> HostileFields =>
        SqlInjections.Select((_, i) => new object[] { "sql", i }).Concat(PathTraversals.Select((_, i) => new object[] { "path", i }));

    [Theory]
    [MemberData(nameof(OddVideos))]
    public async Task Upload_ExtremeButValidVideo_IsIngestedWhole(string name)
    {
        var job = await IngestAsync(BadInput.Form(await Media.GetAsync(name), fileName: name));
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        await AssertWholeAsync(job.GetProperty("videoId").GetGuid());
    }

    /// <summary>The 'ftyp' tag damaged: demuxers find the index anyway, so the file is a readable video.</summary>
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public async Task Upload_DamagedFileTypeTag_IsStillIngested(int position)
    {
        var job = await IngestAsync(BadInput.Form(Media.Flip(await Media.GetAsync("base.mp4"), position)));
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        await AssertWholeAsync(job.GetProperty("videoId").GetGuid());
    }

    [Theory]
    [MemberData(nameof(HostileFields))]
    public async Task Upload_HostileStringsInEveryField_AreStoredVerbatim(string kind, int index)
    {
        var text = kind == "sql" ? SqlInjections[index] : PathTraversals[index];
        var metadata = JsonSerializer.Serialize(new Dictionary<string, string> { [text] = text });
        var job = await IngestAsync(BadInput.Form(await Media.UniqueClipAsync(index + (kind == "sql" ? 0 : 50)), fileName: text.Replace('"', '\''),
            title: text, captions: [text], metadata: metadata));
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        var id = job.GetProperty("videoId").GetGuid();
        await AssertWholeAsync(id);
        var video = await (await host.Client.GetAsync($"/api/videos/{id}")).JsonAsync();
        Assert.Equal(text, video.GetProperty("title").GetString());
        Assert.Equal(text, video.GetProperty("metadata").GetProperty(text).GetString());
        // Every table is still there and nothing was deleted by the strings.
        var counts = await host.CountsAsync();
        Assert.Contains("videos", counts.Keys);
        Assert.True(counts["videos"] >= 1 && counts["captions"] >= 1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Upload_BlankTitle_IsStoredAsNoTitle(string title)
    {
        var job = await IngestAsync(BadInput.Form(await Media.UniqueClipAsync(200 + title.Length), title: title));
        var video = await (await host.Client.GetAsync($"/api/videos/{job.GetProperty("videoId").GetGuid()}")).JsonAsync();
        Assert.Equal(JsonValueKind.Null, video.GetProperty("title").ValueKind);
    }

    [Fact]
    public async Task Upload_RtlAndEmojiTitleAndCaptions_AreStoredVerbatim()
    {
        var title = OddValidTexts["rtl-arabic"] + " " + OddValidTexts["emoji-zwj"];
        var job = await IngestAsync(BadInput.Form(await Media.UniqueClipAsync(300), title: title, captions: [OddValidTexts["rtl-hebrew"], OddValidTexts["emoji"]]));
        var video = await (await host.Client.GetAsync($"/api/videos/{job.GetProperty("videoId").GetGuid()}")).JsonAsync();
        Assert.Equal(title, video.GetProperty("title").GetString());
    }

    private async Task<JsonElement> IngestAsync(MultipartFormDataContent form)
    {
        using var response = await host.Client.PostAsync("/api/videos", form);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var job = await host.Client.WaitForJobAsync((await response.JsonAsync()).GetProperty("jobId").GetGuid());
        Assert.DoesNotContain(host.LeftoverFiles(), f => f.Contains(job.GetProperty("id").GetGuid().ToString("N"), StringComparison.Ordinal));
        return job;
    }

    /// <summary>The video row has one frame row per frame it claims, and every patch row belongs to a frame.</summary>
    private async Task AssertWholeAsync(Guid id)
    {
        await using var command = host.DataSource.CreateCommand(
            """
            SELECT v.frame_count,
                   (SELECT count(*) FROM video_frames f WHERE f.video_id = v.id),
                   (SELECT count(*) FROM video_patches p WHERE p.video_id = v.id)
            FROM videos v WHERE v.id = $1
            """);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"video {id} has no row");
        Assert.True(reader.GetInt32(0) >= 1);
        Assert.Equal(reader.GetInt32(0), reader.GetInt64(1));
        Assert.True(reader.GetInt64(2) >= 1);
    }
}
