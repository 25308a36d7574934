using System.Diagnostics;

namespace UCoFIA.Service.Tests.Architecture;

/// <summary>docker-compose.yml, checked without a container engine by Debian's docker-compose (deploy/compose-check.sh).</summary>
public sealed class ComposeTests
{
    [Fact]
    public async Task ComposeFile_ResolvedByDockerCompose_KeepsTheTopologyItPromises()
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(ServiceFoldersTests.RepositoryRoot(), "deploy", "compose-check.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var check = Process.Start(start)!;
        var output = check.StandardOutput.ReadToEndAsync();
        var errors = check.StandardError.ReadToEndAsync();
        await check.WaitForExitAsync();

        Assert.True(check.ExitCode == 0, $"{await output}{await errors}");
    }
}
