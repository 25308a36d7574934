using Microsoft.Extensions.FileProviders;

namespace UCoFIA.Service.Extensions;

/// <summary>
/// The browser UI at "/": the plain files of src/UCoFIA.Service/Ui (no build step), embedded in the service's
/// assembly so that every way of running it (deploy/run.sh, the container, a test's child process) serves the same
/// files whatever its content root. They call the /api routes like any client, so they need no key to load.
/// </summary>
public static class BrowserUi
{
    /// <summary>The embedded files' resource-name prefix (UCoFIA.Service.csproj names them ui.&lt;file&gt;).</summary>
    private const string ResourcePrefix = "ui";

    public static WebApplication UseBrowserUi(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(BrowserUi).Assembly, ResourcePrefix);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Revalidated on every load, so an upgraded service never runs a cached older script against its new API.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
