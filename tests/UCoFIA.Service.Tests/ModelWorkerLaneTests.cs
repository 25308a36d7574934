using Microsoft.Extensions.Logging.Abstractions;
using UCoFIA.Service.Domain;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Options;

namespace UCoFIA.Service.Tests;

/// <summary>The model worker's lanes: background work keeps its share of the thread under a search flood, and jobs go before a refit's blocks.</summary>
public sealed class ModelWorkerLaneTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ucofia-lanes-").FullName;
    private ModelWorker? _worker;

    private ModelWorker Worker => _worker ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        TinyCheckpoint.Write(_folder);
        _worker = new ModelWorker(Microsoft.Extensions.Options.Options.Create(new ModelOptions
        {
            Path = _folder, Device = "cpu", QueueCapacity = 64, BackgroundShare = 0.3, MaintenanceShare = 0.05,
        }), NullLogger<ModelWorker>.Instance);
        await _worker.StartAsync(CancellationToken.None);
        await _worker.Model;
    }

    public async Task DisposeAsync()
    {
        await Worker.StopAsync(CancellationToken.None);
        Worker.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Background_QueuedBehindASearchFlood_RunsBeforeTheFloodDrains() =>
        Assert.InRange(await FloodDoneBeforeAsync(48, 10, WorkLane.Interactive, WorkLane.Background), 0, 24); // in one FIFO it would wait for all 48

    [Fact]
    public async Task Background_QueuedBehindARefit_RunsBeforeTheRefitsBlocks() =>
        Assert.InRange(await FloodDoneBeforeAsync(24, 10, WorkLane.Maintenance, WorkLane.Background), 0, 2); // one lane for both queued the job behind all 24

    [Fact]
    public async Task Maintenance_UnderASearchFlood_StillRuns() =>
        Assert.InRange(await FloodDoneBeforeAsync(64, 5, WorkLane.Interactive, WorkLane.Maintenance), 0, 32); // its small share comes long before the flood drains

    /// <summary>Queues <paramref name="count"/> items of <paramref name="ms"/> each in <paramref name="floodLane"/>, then one in <paramref name="lane"/>.</summary>
    /// <returns>How many of the flood had run when the one item ran.</returns>
    private async Task<int> FloodDoneBeforeAsync(int count, int ms, WorkLane floodLane, WorkLane lane)
    {
        var finished = 0;
        var flood = Enumerable.Range(0, count).Select(_ => Worker.RunAsync(_ =>
        {
            Thread.Sleep(ms);
            return Interlocked.Increment(ref finished);
        }, CancellationToken.None, floodLane)).ToList();

        var doneBefore = await Worker.RunAsync(_ => Volatile.Read(ref finished), CancellationToken.None, lane);

        await Task.WhenAll(flood);
        return doneBefore;
    }

    [Fact]
    public async Task Interactive_LaneFull_IsRefusedWhileTheBackgroundLaneStillTakesWork()
    {
        using var release = new ManualResetEventSlim();
        var blocker = Worker.RunAsync(_ => release.Wait(TimeSpan.FromSeconds(30)), CancellationToken.None);
        await Task.Delay(100); // the blocker is running, so the lane below fills to its capacity
        var queued = Enumerable.Range(0, 64).Select(_ => Worker.RunAsync(_ => 0, CancellationToken.None)).ToList();

        await Assert.ThrowsAsync<OverloadedException>(() => Worker.RunAsync(_ => 0, CancellationToken.None));
        var background = Worker.RunAsync(_ => 1, CancellationToken.None, WorkLane.Background);

        release.Set();
        Assert.Equal(1, await background);
        await Task.WhenAll([blocker, .. queued]);
    }
}
