using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using UCoFIA.Storage;

namespace UCoFIA.Service.Tests;

public sealed class GalleryModelTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task Start_GalleryEncodedWithAnotherModel_RefusesAndSaysWhatToDo()
    {
        using (var client = factory.CreateClient())
        {
            await client.IngestAsync(await TestVideos.Mp4Async(200, 40, 40));
        }
        // The same weights under another config file are another fingerprint: the check is by content, not by path.
        var other = Path.Combine(factory.DataDirectory, "other-model");
        Directory.CreateDirectory(other);
        foreach (var file in Directory.GetFiles(factory.ModelPath))
        {
            File.Copy(file, Path.Combine(other, Path.GetFileName(file)));
        }
        File.AppendAllText(Path.Combine(other, "config.json"), "\n");
        using var restarted = factory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) =>
            c.AddInMemoryCollection(new Dictionary<string, string?> { ["Model:Path"] = other })));

        var error = Assert.ThrowsAny<Exception>(() => restarted.CreateClient());

        var mismatch = Assert.IsType<GalleryModelMismatchException>(Unwrap(error));
        Assert.Contains(other, mismatch.Message);
        Assert.Contains("new database", mismatch.Message);
    }

    private static Exception Unwrap(Exception error) =>
        error is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : error;
}
