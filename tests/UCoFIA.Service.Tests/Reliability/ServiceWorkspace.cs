using UCoFIA.Tests.Shared;

namespace UCoFIA.Service.Tests.Reliability;

/// <summary>
/// What a service process under test needs: a private folder holding a tiny checkpoint and the data directory,
/// and a fresh database; all of it removed on dispose.
/// </summary>
public sealed class ServiceWorkspace : IAsyncDisposable
{
    private ServiceWorkspace(string root, TestDatabase database)
    {
        Root = root;
        Database = database;
    }

    public string Root { get; }

    public TestDatabase Database { get; }

    public string ModelPath => Path.Combine(Root, "model");

    public string DataDirectory => Path.Combine(Root, "data");

    public static async Task<ServiceWorkspace> CreateAsync(string prefix)
    {
        var workspace = new ServiceWorkspace(Directory.CreateTempSubdirectory(prefix).FullName, await TestDatabase.CreateAsync());
        TinyCheckpoint.Write(workspace.ModelPath);
        return workspace;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
