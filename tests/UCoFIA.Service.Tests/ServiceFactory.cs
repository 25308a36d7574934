using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using UCoFIA.Model;
using UCoFIA.Tests.Shared;

namespace UCoFIA.Service.Tests;

/// <summary>
/// The real service over HTTP against a fresh database of the throwaway cluster and a freshly initialised tiny
/// checkpoint written to disk in Hugging Face layout, so the same loading path as production is exercised.
/// </summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("ucofia-service-tests-").FullName;
    private TestDatabase? _database;

    public string ModelPath => Path.Combine(_root, "model");

    public string DataDirectory => Path.Combine(_root, "data");

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>Extra configuration for a test class that needs other options (e.g. an API key).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        TinyCheckpoint.Write(ModelPath);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = Database.ConnectionString,
            ["Model:Path"] = ModelPath,
            ["Model:Device"] = "cpu",
            ["Storage:DataDirectory"] = DataDirectory,
            ["Ingest:Concurrency"] = "1",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
        Directory.Delete(_root, recursive: true);
    }
}

/// <summary>A tiny random UCoFIA checkpoint with a BPE vocabulary learned from a few captions.</summary>
public static class TinyCheckpoint
{
    public static readonly string[] Captions =
    [
        "a red circle moves left on a blue background",
        "a green square slides to the right",
        "a yellow star grows in the middle",
        "first a white ring then a black cross",
    ];

    /// <param name="seed">Another seed gives other weights: another model (another fingerprint) of the same sizes.</param>
    public static void Write(string folder, int seed = 7)
    {
        Directory.CreateDirectory(folder);
        var vocab = Path.Combine(folder, "vocab.json");
        var merges = Path.Combine(folder, "merges.txt");
        BpeTrainer.Train(Captions, 520, vocab, merges);
        using var model = UCoFIAModel.CreateRandom(UCoFIAConfig.Tiny(), vocab, merges, seed, device: "cpu");
        model.Save(folder, fp16: false);
        File.WriteAllLines(Path.Combine(folder, "sk_bank.txt"), Captions);
    }
}
