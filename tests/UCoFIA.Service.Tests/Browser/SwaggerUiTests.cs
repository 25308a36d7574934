using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using UCoFIA.Service.Tests.Reliability;
using Xunit.Abstractions;

namespace UCoFIA.Service.Tests.Browser;

/// <summary>
/// Swagger UI in a real browser: the service as a process on a loopback port (<see cref="ServiceProcess"/>), one
/// ingested clip, then headless Chromium (Debian's /usr/bin/chromium driven by Playwright) opens /swagger, runs
/// "Try it out" → "Execute" on SearchVideos and must see a 200 with a 'results' array holding the clip. The page
/// is saved to docs/swagger.png. Then the same operation as a multipart form with a picture picked for 'image' (the
/// schema's binary field): again 200 with the clip. Slow: UCOFIA_SLOW_TESTS=1 (deploy/install.sh installs chromium).
/// </summary>
public sealed class SwaggerUiTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Debian's chromium; Playwright cannot download its own browsers here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private const string Query = "a red circle moves to the left";
    private const string Title = "red clip (Swagger UI test)";

    private ServiceWorkspace? _workspace;

    private ServiceWorkspace Workspace => _workspace ?? throw new InvalidOperationException("The fixture is not initialised.");

    private string ModelPath => Workspace.ModelPath;

    private string DataDirectory => Workspace.DataDirectory;

    public async Task InitializeAsync()
    {
        if (!SlowTestOnly.Enabled)
        {
            return;
        }
        _workspace = await ServiceWorkspace.CreateAsync("ucofia-swagger-tests-");
    }

    public async Task DisposeAsync()
    {
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }
    }

    [SlowFact]
    public async Task SwaggerUi_TryItOutOnSearchVideos_TextAndImageShow200WithResults()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: run 'bash deploy/install.sh' (installs Debian's chromium).");
        var clock = Stopwatch.StartNew();
        await using var service = await ServiceProcess.StartAsync(Workspace.Database.ConnectionString, ModelPath, DataDirectory);
        var job = await service.Client.IngestAsync(await TestVideos.Mp4Async(200, 40, 40, frames: 12, size: 64), Title);
        Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
        output.WriteLine($"service up and clip ingested after {clock.Elapsed.TotalSeconds:F1} s ({service.Address})");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(60_000);
        var consoleErrors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                consoleErrors.Add(m.Text);
            }
        };
        try
        {
            var opened = await page.GotoAsync(new Uri(service.Address, "/swagger").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
            Assert.Equal((int)HttpStatusCode.OK, opened?.Status);
            Assert.Equal("UCoFIA.Service", await page.TitleAsync());

            // The SearchVideos operation under the "Search" tag: expand it, "Try it out", set the body, "Execute".
            var operation = page.Locator("#operations-Search-SearchVideos");
            await operation.Locator(".opblock-summary").First.ClickAsync();
            await operation.Locator("button.try-out__btn").ClickAsync();
            var body = operation.Locator("textarea.body-param__text");
            await body.FillAsync(JsonSerializer.Serialize(new { text = Query, topK = 5 }, new JsonSerializerOptions { WriteIndented = true }));
            await operation.Locator("button.execute").ClickAsync();

            // The live response: status 200 and a JSON body with a 'results' array holding the ingested clip.
            var response = operation.Locator(".live-responses-table .response").First;
            await response.WaitForAsync();
            Assert.Equal("200", (await response.Locator(".response-col_status").InnerTextAsync()).Trim());
            var shown = await response.Locator(".response-col_description .microlight, .response-col_description pre").First.InnerTextAsync();
            using var json = JsonDocument.Parse(shown);
            var results = json.RootElement.GetProperty("results");
            Assert.Equal(JsonValueKind.Array, results.ValueKind);
            Assert.Contains(results.EnumerateArray(), r => r.GetProperty("title").GetString() == Title);
            // The request Swagger UI sent is shown as a curl command against this very service.
            Assert.Contains("/api/search/videos", await operation.Locator(".curl-command").InnerTextAsync(), StringComparison.Ordinal);
            var textResults = results.GetArrayLength();

            // Fold the long Schemas list so the picture is mostly the executed request and its answer.
            var schemas = page.Locator("section.models.is-open .models-control");
            if (await schemas.CountAsync() > 0)
            {
                await schemas.ClickAsync();
                await page.Locator("section.models.is-open").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
            }
            var screenshot = Path.Combine(RepositoryRoot(), "docs", "swagger.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is suspiciously small");
            Assert.Empty(consoleErrors);
            output.WriteLine($"Try it out → 200 with {textResults} result(s); {screenshot} written after {clock.Elapsed.TotalSeconds:F1} s");

            // The same operation as a multipart form: pick a picture of the clip's colour for 'image' and execute.
            var picture = Path.Combine(Workspace.DataDirectory, "query.jpg");
            await File.WriteAllBytesAsync(picture, TestVideos.SolidJpeg(64, 200, 40, 40));
            // Cleared first, so that the answer read below is the form's, not the text search's.
            await operation.Locator("button.btn-clear").ClickAsync();
            await operation.Locator(".live-responses-table").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
            await operation.Locator(".opblock-section-request-body select").SelectOptionAsync("multipart/form-data");
            await operation.Locator("input[type=file]").SetInputFilesAsync(picture);
            await operation.Locator("button.execute").ClickAsync();
            var imageResponse = operation.Locator(".live-responses-table .response").First;
            await imageResponse.WaitForAsync();
            var curl = await operation.Locator(".curl-command").InnerTextAsync();
            var imageShown = await imageResponse.Locator(".response-col_description .microlight, .response-col_description pre").First.InnerTextAsync();
            output.WriteLine($"the form as Swagger UI sent it:\n{curl}\nanswer: {imageShown}");
            Assert.Equal("200", (await imageResponse.Locator(".response-col_status").InnerTextAsync()).Trim());
            Assert.Contains("multipart/form-data", curl, StringComparison.Ordinal);
            using var imageJson = JsonDocument.Parse(imageShown);
            Assert.Contains(imageJson.RootElement.GetProperty("results").EnumerateArray(), r => r.GetProperty("title").GetString() == Title);
            Assert.Empty(consoleErrors);
            output.WriteLine($"image search through the form → 200 after {clock.Elapsed.TotalSeconds:F1} s");
        }
        catch
        {
            var failed = Path.Combine(Path.GetTempPath(), $"ucofia-swagger-failed-{Guid.NewGuid():N}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = failed, FullPage = true });
            output.WriteLine($"page at failure: {failed}\nbrowser console errors: {string.Join("\n", consoleErrors)}\nservice log:\n{service.Log}");
            throw;
        }
    }

    /// <summary>The folder holding UCoFIA.Service.sln, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "UCoFIA.Service.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No UCoFIA.Service.sln above {AppContext.BaseDirectory}.");
    }
}
