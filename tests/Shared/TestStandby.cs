using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace UCoFIA.Tests.Shared;

/// <summary>
/// A streaming standby of the test cluster, made by deploy/standby.sh (pg_basebackup -R) on a free port and a
/// data directory of its own, stopped and deleted on dispose. It holds every database of the cluster, so a
/// <see cref="TestDatabase"/> created on the primary is read here under the same name.
/// </summary>
public sealed class TestStandby : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ucofia-standby-").FullName;
    private readonly NpgsqlConnectionStringBuilder _primary = new(TestDatabase.AdminConnectionString);
    private readonly int _port = FreePort();

    private TestStandby()
    {
    }

    /// <summary>The standby's copy of a database of the primary.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(_primary.ConnectionString) { Port = _port, Database = database }.ConnectionString;

    public static async Task<TestStandby> StartAsync()
    {
        var standby = new TestStandby();
        try
        {
            await standby.RunScriptAsync("start");
        }
        catch
        {
            // A half-made standby: no fixture will dispose it.
            await standby.DisposeAsync();
            throw;
        }
        return standby;
    }

    /// <summary>Stops the standby (a fast shutdown: its sessions are cut) and keeps its data directory.</summary>
    public Task StopAsync() => RunScriptAsync("stop");

    /// <summary>
    /// Runs <paramref name="action"/> while the standby receives WAL but applies none of it: a standby that lags
    /// behind everything the action writes.
    /// </summary>
    public async Task WhileReplayPausedAsync(Func<Task> action)
    {
        await ExecuteAsync("SELECT pg_wal_replay_pause()");
        try
        {
            await action();
        }
        finally
        {
            await ExecuteAsync("SELECT pg_wal_replay_resume()");
        }
    }

    /// <summary>Waits until the standby has replayed everything the primary had written when this was called.</summary>
    public async Task CatchUpAsync()
    {
        await using var primary = new NpgsqlConnection(_primary.ConnectionString);
        await primary.OpenAsync();
        await using var position = new NpgsqlCommand("SELECT pg_current_wal_lsn()::text", primary);
        var target = (string)(await position.ExecuteScalarAsync())!;

        await using var standby = new NpgsqlConnection(ConnectionString(_primary.Database!));
        await standby.OpenAsync();
        await using var replayed = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn() >= @target::pg_lsn", standby);
        replayed.Parameters.AddWithValue("target", target);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(bool)(await replayed.ExecuteScalarAsync(timeout.Token))!)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(_primary.Database!));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task RunScriptAsync(string verb)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot(), "deploy", "standby.sh"), verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["UCOFIA_PGHOST"] = _primary.Host,
                ["UCOFIA_PGPORT"] = _primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["UCOFIA_STANDBY_PGDATA"] = _folder,
                ["UCOFIA_STANDBY_PGPORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/standby.sh {verb} exited with {process.ExitCode}:\n{await output}{await errors}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
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
}
