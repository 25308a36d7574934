using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using UCoFIA.Service.Tests.Reliability;
using Xunit.Abstractions;

namespace UCoFIA.Service.Tests.Browser;

/// <summary>
/// The browser UI at "/" in headless Chromium against the real service process (<see cref="BrowserUiFixture"/>): what
/// a page shows is compared with what the API answers for the same request. Two tests save the README's pictures,
/// docs/ui-search.png and docs/ui-gallery.png.
/// </summary>
public sealed class BrowserUiTests(BrowserUiFixture ui, ITestOutputHelper output) : IClassFixture<BrowserUiFixture>
{
    private const string Query = "a red circle moves left on a white background";

    private HttpClient Api => ui.Service.Client;

    [Fact]
    public async Task Search_Text_ShowsTheApisHitsInOrderWithViewingSizeThumbnails()
    {
        var expected = await SearchAsync(Query);
        await WithPageAsync(async page =>
        {
            await SearchInPageAsync(page, Query, expected.Count);

            Assert.Equal(expected.Select(h => h.GetProperty("title").GetString()),
                (await page.Locator(".hit h3").AllInnerTextsAsync()).Select(t => t[(t.IndexOf(' ', StringComparison.Ordinal) + 1)..]));
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.hit img.thumb')].every(i => i.complete && i.naturalWidth > 0)");
            var widths = await page.EvaluateAsync<int[]>("() => [...document.querySelectorAll('.hit img.thumb')].map(i => i.naturalWidth)");
            Assert.All(widths, w => Assert.Equal(320, w));
        });
    }

    [Fact]
    public async Task Search_Text_ShowsEachHitsMomentsOnItsTimelineAndItsScores()
    {
        var expected = await SearchAsync(Query);
        await WithPageAsync(async page =>
        {
            await SearchInPageAsync(page, Query, expected.Count);

            for (var i = 0; i < expected.Count; i++)
            {
                var card = page.Locator(".hit").Nth(i);
                var moments = expected[i].GetProperty("moments").EnumerateArray().ToList();
                Assert.Equal(moments.Count, await card.Locator(".timeline .moment").CountAsync());
                Assert.Equal(moments[0].GetProperty("start").GetDouble(),
                    double.Parse(await card.Locator(".timeline .moment").First.GetAttributeAsync("data-start") ?? "", CultureInfo.InvariantCulture), 6);
                foreach (var level in new[] { "video", "frame", "patch" })
                {
                    Assert.Equal(expected[i].GetProperty("scores").GetProperty(level).GetDouble().ToString("F2", CultureInfo.InvariantCulture),
                        await card.Locator($".scores dd.{level}").InnerTextAsync());
                }
            }
        });
    }

    [Fact]
    public async Task Search_ChosenAndDroppedPictures_FindTheVideosTheyShow()
    {
        await WithPageAsync(async page =>
        {
            await page.GotoAsync("/");
            var red = await Api.GetByteArrayAsync($"/api/videos/{ui.Videos["red"]}/frames/1.jpg");
            await page.SetInputFilesAsync("#image-file", new FilePayload { Name = "red.jpg", MimeType = "image/jpeg", Buffer = red });
            await Assertions.Expect(page.Locator(".hit h3").First).ToHaveTextAsync("1. red");

            var blue = await Api.GetByteArrayAsync($"/api/videos/{ui.Videos["blue"]}/frames/1.jpg");
            var transfer = await page.EvaluateHandleAsync("""
                b64 => {
                  const t = new DataTransfer();
                  t.items.add(new File([Uint8Array.from(atob(b64), c => c.charCodeAt(0))], 'blue.jpg', { type: 'image/jpeg' }));
                  return t;
                }
                """, Convert.ToBase64String(blue));
            await page.DispatchEventAsync("#drop-zone", "drop", new { dataTransfer = transfer });
            await Assertions.Expect(page.Locator("#search-status")).ToContainTextAsync("blue.jpg");
            await Assertions.Expect(page.Locator(".hit h3").First).ToHaveTextAsync("1. blue");
        });
    }

    [Fact]
    public async Task Evidence_PickAWord_DrawsTheKeptPatchesWithTheStrongestOnTheApisStrongestPatch()
    {
        var red = ui.Videos["red"];
        using var response = await Api.PostAsJsonAsync("/api/search/explain", new { text = Query, videoId = red, segment = 0 });
        var evidence = await response.JsonAsync();
        var places = evidence.GetProperty("places").EnumerateArray().ToList();
        var word = evidence.GetProperty("words").EnumerateArray().First(w => w.GetProperty("token").GetString() == "red");
        var weights = word.GetProperty("weights").EnumerateArray().Select(w => w.GetDouble()).ToList();
        var strongest = places.Select((p, i) => (p, i)).Where(x => x.p.GetProperty("patch").ValueKind == JsonValueKind.Number)
            .MaxBy(x => weights[x.i]).p;
        await WithPageAsync(async page =>
        {
            await SearchInPageAsync(page, Query, (await SearchAsync(Query)).Count);
            await page.Locator($".hit[data-video-id='{red}']").ClickAsync();
            await page.Locator(".evidence .word", new PageLocatorOptions { HasTextRegex = new System.Text.RegularExpressions.Regex("^red$") }).ClickAsync();

            var box = page.Locator(".evidence-box.strongest");
            await Assertions.Expect(box).ToHaveCountAsync(1);
            Assert.Equal(strongest.GetProperty("frame").GetInt32().ToString(CultureInfo.InvariantCulture), await box.GetAttributeAsync("data-frame"));
            Assert.Equal(strongest.GetProperty("row").GetInt32().ToString(CultureInfo.InvariantCulture), await box.GetAttributeAsync("data-row"));
            Assert.Equal(strongest.GetProperty("column").GetInt32().ToString(CultureInfo.InvariantCulture), await box.GetAttributeAsync("data-column"));
            Assert.Equal(evidence.GetProperty("frames").GetArrayLength(), await page.Locator(".evidence figure").CountAsync());
            Assert.Equal(places.Count(p => p.GetProperty("patch").ValueKind == JsonValueKind.Number), await page.Locator(".evidence-box").CountAsync());
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.evidence img, .hit img')].every(i => i.complete && i.naturalWidth > 0)");
            await SaveScreenshotAsync(page, "ui-search.png");
        });
    }

    [Fact]
    public async Task Moment_Click_PutsThePlayerInsideThatMoment()
    {
        var hit = (await SearchAsync(Query)).First(h => h.GetProperty("videoId").GetGuid() == ui.Videos["red"]);
        var moment = hit.GetProperty("moments")[0];
        var (start, end) = (moment.GetProperty("start").GetDouble(), moment.GetProperty("end").GetDouble());
        await WithPageAsync(async page =>
        {
            await SearchInPageAsync(page, Query, (await SearchAsync(Query)).Count);
            await page.Locator($".hit[data-video-id='{ui.Videos["red"]}']").ClickAsync();
            await page.Locator(".moments .moment").First.ClickAsync();

            await page.WaitForFunctionAsync($"() => {{ const v = document.querySelector('#player'); return v.readyState >= 1 && !v.seeking && v.currentTime >= {start.ToString(CultureInfo.InvariantCulture)} - 0.05; }}");
            var time = await page.EvaluateAsync<double>("() => document.querySelector('#player').currentTime");
            Assert.InRange(time, start - 0.05, end + 0.1);
        });
    }

    [Fact]
    public async Task Detail_HitWithoutItsOriginal_SaysItCannotBePlayed()
    {
        await WithPageAsync(async page =>
        {
            await SearchInPageAsync(page, Query, (await SearchAsync(Query)).Count);
            await page.Locator($".hit[data-video-id='{ui.Videos[BrowserUiFixture.NotKept]}']").ClickAsync();

            await Assertions.Expect(page.Locator("#detail .no-original")).ToContainTextAsync("was not kept");
            Assert.Equal(0, await page.Locator("#player").CountAsync());
        });
    }

    [Fact]
    public async Task Upload_ChosenFile_ShowsItsBytesSentAndEndsInSucceeded()
    {
        var clip = ServiceProcess.Unique(await TestVideos.Mp4Async(30, 90, 200, frames: 48, size: 256), seed: 1);
        await WithPageAsync(async page =>
        {
            await page.GotoAsync("/#/upload");
            await page.SetInputFilesAsync("#upload-file", new FilePayload { Name = "upload.mp4", MimeType = "video/mp4", Buffer = clip });
            await page.FillAsync("#upload-title", "uploaded from the browser");
            await page.ClickAsync("#upload-form button[type=submit]");

            await Assertions.Expect(page.Locator("#job-state")).ToHaveAttributeAsync("data-state", "succeeded", new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("#job-state")).ToHaveTextAsync("Job succeeded");
            // Only the upload's progress events write this line; the multipart body is the file and a little more.
            var sent = await page.Locator("#upload-bytes").InnerTextAsync();
            Assert.Matches(@"^Uploaded ([\d.]+ kB) of \1$", sent);
            Assert.Equal(100, await page.EvaluateAsync<double>("() => document.querySelector('#upload-progress').value"));
        });
        var listed = await (await Api.GetAsync("/api/videos?pageSize=200")).JsonAsync();
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), v => v.GetProperty("title").GetString() == "uploaded from the browser");
    }

    [Fact]
    public async Task Gallery_PagesAndDelete_WalkTheApisPagesAndRemoveTheVideo()
    {
        var doomed = (await Api.IngestAsync(ServiceProcess.Unique(await TestVideos.Mp4Async(90, 20, 160), seed: 2), "to delete")).GetProperty("videoId").GetGuid();
        var total = (await (await Api.GetAsync("/api/videos?pageSize=1")).JsonAsync()).GetProperty("total").GetInt32();
        await WithPageAsync(async page =>
        {
            await page.GotoAsync("/#/gallery?page=1&pageSize=2");
            var pages = (total + 1) / 2;
            await Assertions.Expect(page.Locator("#gallery-page")).ToHaveTextAsync($"Page 1 of {pages} · {total} videos");
            var first = await CardIdsAsync(page);
            await page.ClickAsync("#gallery-next");
            await Assertions.Expect(page.Locator("#gallery-page")).ToHaveTextAsync($"Page 2 of {pages} · {total} videos");
            var second = await CardIdsAsync(page);
            var api = await (await Api.GetAsync("/api/videos?page=2&pageSize=2")).JsonAsync();
            Assert.Equal(api.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetString()), second);
            Assert.Empty(first.Intersect(second));

            await page.ClickAsync("#gallery-prev");
            page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
            await page.Locator($"#gallery .card[data-video-id='{doomed}'] button.danger").ClickAsync(); // newest first: on page 1
            await Assertions.Expect(page.Locator($"#gallery .card[data-video-id='{doomed}']")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#gallery-page")).ToContainTextAsync($"{total - 1} videos");

            await page.GotoAsync("/#/gallery");
            await Assertions.Expect(page.Locator("#gallery .card")).ToHaveCountAsync(Math.Min(total - 1, 12));
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#gallery img')].every(i => i.complete && i.naturalWidth > 0)");
            await SaveScreenshotAsync(page, "ui-gallery.png");
        });
        using var gone = await Api.GetAsync($"/api/videos/{doomed}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task ApiKey_FirstCallWithoutIt_AsksUntilTheRightKeyAndKeepsItForTheTab()
    {
        await WithPageAsync(async page =>
        {
            await page.GotoAsync("/#/gallery");
            var dialog = page.Locator("#key-dialog");
            await Assertions.Expect(dialog).ToBeVisibleAsync();
            await page.FillAsync("#key-input", "not the key");
            await page.ClickAsync("#key-form button[value=ok]");
            await Assertions.Expect(page.Locator("#key-message")).ToContainTextAsync("refused");
            await Assertions.Expect(dialog).ToBeVisibleAsync();
            await page.FillAsync("#key-input", BrowserUiFixture.ApiKey);
            await page.ClickAsync("#key-form button[value=ok]");

            await Assertions.Expect(dialog).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("#gallery .card").First).ToBeVisibleAsync();
            Assert.Equal(BrowserUiFixture.ApiKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('ucofia.apiKey')"));
        }, withKey: false);
    }

    [Fact]
    public async Task Root_WithoutKey_ServesThePageAndSwaggerStaysAtItsPath()
    {
        using var anonymous = new HttpClient { BaseAddress = ui.Service.Address };
        using var root = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"app.js\">", await root.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var swagger = await anonymous.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, swagger.StatusCode);
        Assert.Contains("swagger-ui", await swagger.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> SearchAsync(string text)
    {
        using var response = await Api.PostAsJsonAsync("/api/search/videos", new { text, topK = 12 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("results").EnumerateArray().ToList();
    }

    private static async Task SearchInPageAsync(IPage page, string text, int hits)
    {
        await page.GotoAsync("/");
        await page.FillAsync("#search-text", text);
        await page.PressAsync("#search-text", "Enter");
        await Assertions.Expect(page.Locator(".hit")).ToHaveCountAsync(hits);
    }

    private static async Task<List<string?>> CardIdsAsync(IPage page) =>
        (await page.Locator("#gallery .card").EvaluateAllAsync<string?[]>("cards => cards.map(c => c.dataset.videoId)")).ToList();

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(SwaggerUiTests.RepositoryRoot(), "docs", name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} is suspiciously small");
    }

    /// <summary>Runs <paramref name="test"/> on a new page; a script error fails it, and a failure leaves a picture and the service log.</summary>
    private async Task WithPageAsync(Func<IPage, Task> test, bool withKey = true)
    {
        await using var context = await ui.NewContextAsync(withKey);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        try
        {
            await test(page);
            Assert.Empty(errors);
        }
        catch
        {
            var failed = Path.Combine(Path.GetTempPath(), $"ucofia-ui-failed-{Guid.NewGuid():N}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = failed, FullPage = true });
            output.WriteLine($"page at failure: {failed}\nscript errors: {string.Join("\n", errors)}\nservice log:\n{ui.Service.Log}");
            throw;
        }
    }
}
