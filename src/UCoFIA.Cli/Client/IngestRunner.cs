using System.Collections.Concurrent;
using System.Text.Json;
using Spectre.Console;

namespace UCoFIA.Cli.Client;

/// <summary>
/// Uploads many videos in parallel and waits for each job. Finished files are recorded in a state file
/// (path → video id, JSON), so a second run skips them: an interrupted ingest resumes where it stopped. A file the
/// service refuses or cannot ingest is reported and the others go on; a service that cannot be reached or refuses
/// the API key stops the run.
/// </summary>
public static class IngestRunner
{
    public static readonly string[] VideoExtensions = [".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v"];

    public const string DefaultStateFile = ".ucofia-ingest.json";

    public sealed record Summary(int Ingested, int Skipped, IReadOnlyList<(string Path, string Error)> Failed);

    /// <exception cref="UsageException">An input is neither a file nor a folder.</exception>
    public static IReadOnlyList<string> ExpandInputs(IEnumerable<string> inputs) =>
        inputs.SelectMany<string, string>(i => Directory.Exists(i)
                ? Directory.EnumerateFiles(i, "*", SearchOption.AllDirectories).Where(f => VideoExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order()
                : File.Exists(i) ? [i] : throw new UsageException($"{i}: no such file or folder."))
            .Select(Path.GetFullPath)
            .Distinct()
            .ToList();

    public static async Task<Summary> RunAsync(
        ServiceClient client, IReadOnlyList<string> files, UploadFields fields, int parallel, string statePath, IAnsiConsole console, CancellationToken ct)
    {
        var state = File.Exists(statePath)
            ? JsonSerializer.Deserialize<Dictionary<string, Guid>>(await File.ReadAllTextAsync(statePath, ct)) ?? []
            : [];
        var done = new ConcurrentDictionary<string, Guid>(state);
        var todo = files.Where(f => !done.ContainsKey(f)).ToList();
        var failed = new ConcurrentBag<(string, string)>();
        var gate = new SemaphoreSlim(1, 1);
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferlessSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("ingesting", maxValue: Math.Max(1, todo.Count));
                await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = ct }, async (file, token) =>
                {
                    try
                    {
                        done[file] = await client.IngestAsync(file, fields.CaptionsOf(file), fields.Metadata, token);
                        await gate.WaitAsync(token);
                        try
                        {
                            await File.WriteAllTextAsync(statePath, JsonSerializer.Serialize(done), token);
                        }
                        finally
                        {
                            gate.Release();
                        }
                    }
                    catch (Exception e) when (IsThisFilesFailure(e))
                    {
                        failed.Add((file, e.Message));
                    }
                    task.Increment(1);
                });
                task.Value = task.MaxValue;
            });
        return new Summary(todo.Count - failed.Count, files.Count - todo.Count, failed.ToList());
    }

    /// <summary>
    /// What fails one file only: the service refusing or failing that upload, its job failing, the file unreadable.
    /// No connection, or a key the service refuses, would fail every file alike.
    /// </summary>
    private static bool IsThisFilesFailure(Exception e) => e switch
    {
        HttpRequestException { StatusCode: System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden } => false,
        HttpRequestException { StatusCode: not null } => true,
        JobFailedException or IOException => true,
        _ => false,
    };

    /// <summary>Videos per second, shown by the progress bar instead of a byte rate.</summary>
    private sealed class TransferlessSpeedColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed ? $"{speed:0.00} videos/s" : "- videos/s");
    }
}
