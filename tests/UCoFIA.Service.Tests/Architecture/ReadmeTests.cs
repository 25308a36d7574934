using System.Text.RegularExpressions;

namespace UCoFIA.Service.Tests.Architecture;

/// <summary>The README's map and walks name real files: a reader who follows them finds every one.</summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void FilePaths_NamedInTheReadme_AllExist()
    {
        var root = ServiceFoldersTests.RepositoryRoot();
        var named = RepositoryPath().Matches(File.ReadAllText(Path.Combine(root, "README.md"))).Select(m => m.Groups[1].Value).Distinct().ToList();

        var missing = named.Where(path => !File.Exists(Path.Combine(root, path)) && !Directory.Exists(Path.Combine(root, path))).ToList();

        Assert.True(named.Count > 30, $"only {named.Count} paths found: the pattern no longer matches the README");
        Assert.Empty(missing);
    }

    /// <summary>A path in backticks that starts at one of the repository's top-level folders.</summary>
    [GeneratedRegex(@"`((?:src|tests|deploy|docs|models|bench)/[\w./-]*[\w/])`")]
    private static partial Regex RepositoryPath();
}
