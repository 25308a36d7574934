using System.Text.RegularExpressions;
using UCoFIA.Service.Tests.Architecture;

namespace UCoFIA.Service.Tests.Deployment;

/// <summary>
/// The Dockerfile and .dockerignore read as files: no Docker engine runs here, so what can be checked without building
/// an image is checked statically (docker-compose.yml is checked by docker-compose itself: ComposeTests).
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Root = ServiceFoldersTests.RepositoryRoot();

    /// <summary>The files that decide what <c>dotnet restore</c> does; anything else copied before it would bust the cached layer on every edit.</summary>
    private static readonly Regex RestoreInput = new(@"^(global\.json|Directory\.[A-Za-z]+\.(props|targets)|\.editorconfig|[\w.]+\.sln|src/[\w.]+/[\w.]+\.csproj)$");

    [Fact]
    public void Dockerfile_FinalStage_SwitchesToANonRootUserBeforeTheEntrypoint()
    {
        var final = Stages().Last();

        var user = final.FindIndex(i => i.Verb == "USER");
        var entrypoint = final.FindIndex(i => i.Verb == "ENTRYPOINT");

        Assert.True(user >= 0 && user < entrypoint, "the final stage has no USER before its ENTRYPOINT");
        var name = final[user].Arguments.Split(':')[0];
        Assert.DoesNotContain(name, new[] { "root", "0" });
        Assert.DoesNotContain(final.Skip(user + 1), i => i.Verb == "USER");
        // The .NET images have this user; the CUDA one is built on Ubuntu and must create it with the same id.
        var cuda = Stages().Single(s => s[0].Arguments.EndsWith(" AS runtime-cuda", StringComparison.Ordinal));
        Assert.Contains(cuda, i => i.Verb == "RUN" && i.Arguments.Contains($"useradd --uid {name} ", StringComparison.Ordinal));
        // What the service writes at run time is owned by that user.
        Assert.Contains(final.Take(user), i => i.Verb == "RUN" && i.Arguments.Contains("chown app:app /var/lib/ucofia", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_Restore_IsALayerOfItsOwnBeforeTheSources()
    {
        var build = Stages().First();

        var restore = build.FindIndex(i => i.Verb == "RUN" && i.Arguments.StartsWith("dotnet restore", StringComparison.Ordinal));
        var sources = build.FindIndex(i => i.Verb == "COPY" && i.Arguments == "src/ src/");
        var publish = build.FindIndex(i => i.Verb == "RUN" && i.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal));

        Assert.True(restore >= 0 && restore < sources && sources < publish, $"restore at {restore}, sources at {sources}, publish at {publish}");
        Assert.Contains("--no-restore", build[publish].Arguments);
        var copiedFirst = build.Take(restore).Where(i => i.Verb == "COPY").SelectMany(i => Sources(i.Arguments)).ToList();
        Assert.All(copiedFirst, path => Assert.Matches(RestoreInput, path));
        // Every project the service builds from has its project file there before the restore.
        Assert.Empty(ProjectClosure("src/UCoFIA.Service/UCoFIA.Service.csproj").Except(copiedFirst));
    }

    [Fact]
    public void Dockerignore_LeavesOutBuildOutputAndLocalDataButNothingTheDockerfileCopies()
    {
        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        Assert.Superset(new HashSet<string> { ".git", "**/bin/", "**/obj/", ".data/", "**/TestResults/", "**/*.trx" }, ignored.ToHashSet());
        var copied = Stages().SelectMany(s => s).Where(i => i.Verb == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(i => Sources(i.Arguments)).ToList();
        Assert.All(copied, path => Assert.DoesNotContain(ignored, entry => path.StartsWith(entry.TrimStart('/'), StringComparison.Ordinal)));
    }

    /// <summary>The Dockerfile's stages, each a list of its instructions (continuation lines joined, comments dropped).</summary>
    private static List<List<(string Verb, string Arguments)>> Stages()
    {
        var text = Continuation().Replace(File.ReadAllText(Path.Combine(Root, "Dockerfile")), " ");
        var instructions = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2) is [var verb, var rest] ? (verb.ToUpperInvariant(), rest.Trim()) : (l.ToUpperInvariant(), ""));
        var stages = new List<List<(string, string)>>();
        foreach (var instruction in instructions)
        {
            if (instruction.Item1 == "FROM")
            {
                stages.Add([]);
            }
            stages.LastOrDefault()?.Add(instruction);
        }
        return stages;
    }

    /// <summary>The source paths of a COPY (all its words but the destination).</summary>
    private static IEnumerable<string> Sources(string arguments) =>
        arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1];

    /// <summary>The project and every project it references, directly or not, as paths from the repository root.</summary>
    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>();
        var todo = new Stack<string>([project]);
        while (todo.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }
            var folder = Path.GetDirectoryName(Path.Combine(Root, next))!;
            foreach (Match reference in ProjectReference().Matches(File.ReadAllText(Path.Combine(Root, next))))
            {
                todo.Push(Path.GetRelativePath(Root, Path.GetFullPath(Path.Combine(folder, reference.Groups[1].Value))).Replace('\\', '/'));
            }
        }
        return seen;
    }

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex Continuation();

    [GeneratedRegex("<ProjectReference Include=\"([^\"]+)\"")]
    private static partial Regex ProjectReference();
}
