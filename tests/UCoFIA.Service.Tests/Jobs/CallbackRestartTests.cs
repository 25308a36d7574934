using Npgsql;
using UCoFIA.Service.Tests.Reliability;

namespace UCoFIA.Service.Tests.Jobs;

/// <summary>
/// A callback owed when the instance dies is sent by the next one: deliveries are rows of the job table's database,
/// not memory. The service runs as a real process here, killed with SIGKILL.
/// </summary>
public sealed class CallbackRestartTests : IAsyncLifetime
{
    private ServiceWorkspace? _workspace;

    private ServiceWorkspace Workspace => _workspace ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync() => _workspace = await ServiceWorkspace.CreateAsync("ucofia-callback-restart-");

    public async Task DisposeAsync()
    {
        if (_workspace is not null)
        {
            await _workspace.DisposeAsync();
        }
    }

    [Fact]
    public async Task Callback_ReceiverDownUntilTheInstanceIsKilled_IsDeliveredByTheRestartedInstance()
    {
        var connection = Workspace.Database.ConnectionString;
        var port = ServiceProcess.FreePort();
        // Attempts every second, and enough of them not to give up while the receiver is down.
        var settings = new Dictionary<string, string>
        {
            ["Callbacks:AllowedHosts:0"] = "127.0.0.1",
            ["Callbacks:Secret"] = "a-test-secret-of-some-length",
            ["Callbacks:FirstRetryDelaySeconds"] = "1",
            ["Callbacks:MaxRetryDelaySeconds"] = "1",
            ["Callbacks:MaxAttempts"] = "50",
        };
        Guid jobId;
        await using (var first = await ServiceProcess.StartAsync(connection, Workspace.ModelPath, Workspace.DataDirectory, settings))
        {
            jobId = await first.Client.UploadAsync(ApiClient.UploadForm(await TestVideos.Mp4Async(120, 10, 200), callbackUrl: CallbackReceiver.UrlAt(port)));
            Assert.Equal("succeeded", (await first.Client.WaitForJobAsync(jobId)).GetProperty("state").GetString());
            // The receiver is not listening yet: wait until an attempt has failed, then kill the instance.
            await ProcessTests.WaitUntilAsync(async () => await CallbackAsync(connection, jobId) is ("pending", > 0));
            var (state, attempts) = await CallbackAsync(connection, jobId);
            Assert.True(state == "pending" && attempts > 0, $"the callback is {state} after {attempts} attempts");
            await first.KillAsync();
        }

        await using var receiver = new CallbackReceiver(port);
        await using var second = await ServiceProcess.StartAsync(connection, Workspace.ModelPath, Workspace.DataDirectory, settings);
        var received = await receiver.NextAsync(TimeSpan.FromSeconds(60));

        using var body = System.Text.Json.JsonDocument.Parse(received.Body);
        Assert.Equal(jobId, body.RootElement.GetProperty("job").GetProperty("id").GetGuid());
        await ProcessTests.WaitUntilAsync(async () => await CallbackAsync(connection, jobId) is ("delivered", _));
        Assert.Equal("delivered", (await CallbackAsync(connection, jobId)).State);
    }

    private static async Task<(string State, int Attempts)> CallbackAsync(string connection, Guid jobId)
    {
        await using var dataSource = NpgsqlDataSource.Create(connection);
        await using var command = dataSource.CreateCommand("SELECT state, attempts FROM job_callbacks WHERE job_id = $1");
        command.Parameters.AddWithValue(jobId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetInt32(1)) : ("missing", 0);
    }
}
