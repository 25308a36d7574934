using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace UCoFIA.Service.Tests.Reliability;

/// <summary>
/// The service as a real child process (<c>dotnet UCoFIA.Service.dll</c> from the test output folder) on a free
/// loopback port, so it can be killed with SIGKILL or stopped with SIGTERM like a deployed one.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(120) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static async Task<ServiceProcess> StartAsync(string connectionString, string modelPath, string dataDirectory,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "UCoFIA.Service.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["Model__Path"] = modelPath;
        start.Environment["Model__Device"] = "cpu";
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment["Ingest__Concurrency"] = "1";
        // A killed instance's jobs are taken over after its lease: short, so restarts in tests resume them at once.
        start.Environment["Ingest__JobLeaseSeconds"] = "3";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitReadyAsync(TimeSpan.FromSeconds(120));
        return service;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {_process.ExitCode}:\n{Log}");
            }
            try
            {
                using var response = await Client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The service did not become ready:\n{Log}");
    }

    /// <summary>SIGKILL: no shutdown code runs, like a power cut of the process.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the host's graceful shutdown; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A copy of a valid MP4 with a unique trailing 'free' box: different bytes (and SHA-256), same video.</summary>
    public static byte[] Unique(byte[] mp4, int seed)
    {
        var copy = new byte[mp4.Length + 24];
        mp4.CopyTo(copy, 0);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(mp4.Length), 24);
        "free"u8.CopyTo(copy.AsSpan(mp4.Length + 4));
        BinaryPrimitives.WriteInt64BigEndian(copy.AsSpan(mp4.Length + 8), seed);
        BinaryPrimitives.WriteInt64BigEndian(copy.AsSpan(mp4.Length + 16), Environment.TickCount64);
        return copy;
    }
}

/// <summary>Slow suites run only with UCOFIA_SLOW_TESTS=1 (deploy/test.sh passes the variable through).</summary>
public readonly struct SlowTestOnly
{
    public static bool Enabled => Environment.GetEnvironmentVariable("UCOFIA_SLOW_TESTS") == "1";
}

/// <summary>A fact that is skipped unless UCOFIA_SLOW_TESTS=1.</summary>
public sealed class SlowFactAttribute : FactAttribute
{
    public SlowFactAttribute()
    {
        if (!SlowTestOnly.Enabled)
        {
            Skip = "Slow: set UCOFIA_SLOW_TESTS=1 to run.";
        }
    }
}
