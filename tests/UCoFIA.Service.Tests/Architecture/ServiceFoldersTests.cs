using System.Text.RegularExpressions;

namespace UCoFIA.Service.Tests.Architecture;

/// <summary>
/// The service's rooms, read from its source: each folder is a namespace, and a folder that imports another must
/// never be imported back, directly or through others. HTTP (status codes, ApiException) stays at the edge.
/// </summary>
public sealed partial class ServiceFoldersTests
{
    /// <summary>The HTTP edge: handlers and contracts, the problem mapping, the middleware, host set-up and health.</summary>
    private static readonly string[] Edge = ["Apis", "Errors", "Security", "Extensions", "Health"];

    [Fact]
    public void Imports_BetweenServiceFolders_HaveNoCycle()
    {
        var imports = Folders().ToDictionary(f => f.Name, f => f.Imports);

        var cycle = imports.Keys.Select(start => FindCycle(start, imports)).FirstOrDefault(c => c is not null);

        Assert.True(cycle is null, $"import cycle: {string.Join(" → ", cycle ?? [])}");
        Assert.Contains("Search", imports["Ingestion"]); // the check sees real edges
    }

    [Fact]
    public void HttpStatusCodes_BelowTheEdge_AreNeverUsed()
    {
        var offenders = Folders()
            .Where(f => !Edge.Contains(f.Name))
            .SelectMany(f => f.Files)
            .Where(file => HttpStatus().IsMatch(File.ReadAllText(file)))
            .Select(Path.GetFileName)
            .ToList();

        Assert.Empty(offenders);
    }

    private static List<string>? FindCycle(string start, IReadOnlyDictionary<string, HashSet<string>> imports)
    {
        var path = new List<string> { start };
        return Walk(start);

        List<string>? Walk(string folder)
        {
            foreach (var next in imports.GetValueOrDefault(folder, []))
            {
                if (next == start)
                {
                    return [.. path, next];
                }
                if (path.Contains(next))
                {
                    continue;
                }
                path.Add(next);
                if (Walk(next) is { } found)
                {
                    return found;
                }
                path.RemoveAt(path.Count - 1);
            }
            return null;
        }
    }

    private static IEnumerable<(string Name, string[] Files, HashSet<string> Imports)> Folders()
    {
        var root = Path.Combine(RepositoryRoot(), "src", "UCoFIA.Service");
        foreach (var folder in Directory.GetDirectories(root).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
        {
            var name = Path.GetFileName(folder);
            var files = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories);
            var imports = files
                .SelectMany(file => ServiceReference().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
                .Where(target => target != name)
                .ToHashSet();
            yield return (name, files, imports);
        }
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "UCoFIA.Service.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("UCoFIA.Service.sln not found above the test's folder.");
    }

    /// <summary>A using directive or a qualified name naming another folder of the service.</summary>
    [GeneratedRegex(@"\bUCoFIA\.Service\.([A-Z][A-Za-z]+)\b")]
    private static partial Regex ServiceReference();

    [GeneratedRegex(@"\bStatusCodes\.|\bApiException\b|\bStatus\d{3}")]
    private static partial Regex HttpStatus();
}
