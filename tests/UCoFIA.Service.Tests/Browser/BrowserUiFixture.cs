using Microsoft.Playwright;
using UCoFIA.Service.Tests.Architecture;
using UCoFIA.Service.Tests.Features;
using UCoFIA.Service.Tests.Reliability;

namespace UCoFIA.Service.Tests.Browser;

/// <summary>
/// One service process for the whole UI test class, with an API key configured (so every page goes through the key
/// and the media tokens) and the shipped default model, holding the three synthetic-world clips of
/// <see cref="GalleryFixture"/> with their originals kept and one more clip whose original did not fit the originals
/// budget; and one headless Chromium (Debian's, driven by Playwright) that each test opens its own context in.
/// </summary>
public sealed class BrowserUiFixture : IAsyncLifetime
{
    public const string ApiKey = "browser-ui-test-key";

    /// <summary>The title of the clip whose original was not kept.</summary>
    public const string NotKept = "not kept";

    private ServiceWorkspace? _workspace;
    private ServiceProcess? _service;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public ServiceProcess Service => _service ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>Each clip's video id, by title.</summary>
    public Dictionary<string, Guid> Videos { get; } = [];

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(SwaggerUiTests.ChromiumPath), $"{SwaggerUiTests.ChromiumPath} is missing: run 'bash deploy/install.sh' (installs Debian's chromium).");
        var clips = new List<(string Title, byte[] Bytes)>();
        foreach (var (name, scene) in GalleryFixture.Scenes)
        {
            clips.Add((name, await TestVideos.SceneMp4Async(scene)));
        }
        _workspace = await ServiceWorkspace.CreateAsync("ucofia-ui-tests-");
        _service = await ServiceProcess.StartAsync(_workspace.Database.ConnectionString,
            Path.Combine(ServiceFoldersTests.RepositoryRoot(), "models", "default"), _workspace.DataDirectory,
            new Dictionary<string, string>
            {
                ["Auth:ApiKey"] = ApiKey,
                // Room for the scene clips' originals only: the clip ingested after them is stored without its original.
                ["Storage:OriginalsBudgetBytes"] = clips.Sum(c => c.Bytes.Length).ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        Service.Client.DefaultRequestHeaders.Add(Security.ApiKeyMiddleware.Header, ApiKey);
        clips.Add((NotKept, await TestVideos.Mp4Async(200, 200, 40)));
        foreach (var (title, bytes) in clips)
        {
            var job = await Service.Client.IngestAsync(bytes, title);
            Assert.True(job.GetProperty("state").GetString() == "succeeded", job.ToString());
            Videos[title] = job.GetProperty("videoId").GetGuid();
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = SwaggerUiTests.ChromiumPath,
            Headless = true,
            Args = SwaggerUiTests.ChromiumArgs,
            Timeout = 60_000,
        });
    }

    /// <summary>A fresh browser context on the service; with <paramref name="withKey"/>, its tab already holds the API key.</summary>
    public async Task<IBrowserContext> NewContextAsync(bool withKey = true)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Service.Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        if (withKey)
        {
            await context.AddInitScriptAsync($"sessionStorage.setItem('ucofia.apiKey', '{ApiKey}')");
        }
        return context;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }
    }
}
