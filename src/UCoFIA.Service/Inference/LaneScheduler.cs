using System.Collections.Concurrent;

namespace UCoFIA.Service.Inference;

/// <summary>
/// One bounded queue per <see cref="WorkLane"/> in front of the one model thread, served by worker time: while several
/// lanes hold work, each gets its share of the time in proportion to the others that wait (the background lane
/// <c>backgroundShare</c>, maintenance <c>maintenanceShare</c>, the interactive lane the rest); a lane alone gets all of it.
/// One FIFO let a steady search load starve ingestion (the 50-client load test saw no job finish in 60 s), and one
/// lane for jobs and refits queued every job step behind a refit's blocks (8 uploads into a 1,000-segment gallery: 56 s).
/// </summary>
/// <typeparam name="T">a queued work item</typeparam>
internal sealed class LaneScheduler<T>(int capacityPerLane, double backgroundShare, double maintenanceShare)
{
    private static readonly int Lanes = Enum.GetValues<WorkLane>().Length;
    private readonly ConcurrentQueue<T>[] _queues = Enumerable.Range(0, Lanes).Select(_ => new ConcurrentQueue<T>()).ToArray();
    private readonly int[] _counts = new int[Lanes];
    private readonly double[] _used = new double[Lanes]; // seconds of worker time since the lanes last stopped contending
    private readonly SemaphoreSlim _available = new(0);
    private readonly double[] _shares = [1 - backgroundShare - maintenanceShare, backgroundShare, maintenanceShare];
    private bool _completed;

    /// <returns>false when the lane is full or the scheduler is completed</returns>
    public bool TryEnqueue(T item, WorkLane lane)
    {
        var i = (int)lane;
        if (Volatile.Read(ref _completed) || Interlocked.Increment(ref _counts[i]) > capacityPerLane)
        {
            Interlocked.Decrement(ref _counts[i]);
            return false;
        }
        _queues[i].Enqueue(item);
        _available.Release();
        return true;
    }

    /// <summary>Waits for work, then takes up to <paramref name="max"/> items of the lane that is owed time.</summary>
    public (WorkLane Lane, List<T> Items) Take(int max, CancellationToken cancellationToken)
    {
        _available.Wait(cancellationToken);
        var lane = NextLane();
        var items = new List<T>(max);
        var queue = _queues[(int)lane];
        while (items.Count < max && queue.TryDequeue(out var item))
        {
            items.Add(item);
            Interlocked.Decrement(ref _counts[(int)lane]);
            if (items.Count > 1)
            {
                _available.Wait(0); // each item released one count; the first was taken by the wait above
            }
        }
        return (lane, items);
    }

    /// <summary>Books worker time to a lane, which decides who goes next.</summary>
    public void Charge(WorkLane lane, TimeSpan elapsed) => _used[(int)lane] += elapsed.TotalSeconds;

    /// <summary>Refuses new work and hands back what is still queued.</summary>
    public List<T> Complete()
    {
        Volatile.Write(ref _completed, true);
        var left = new List<T>();
        foreach (var queue in _queues)
        {
            while (queue.TryDequeue(out var item))
            {
                left.Add(item);
            }
        }
        return left;
    }

    private WorkLane NextLane()
    {
        var waiting = Enumerable.Range(0, Lanes).Where(i => !_queues[i].IsEmpty).ToList();
        if (waiting.Count < 2)
        {
            // No contest: credit is not carried over, so a lane that was idle cannot claim the worker for long after.
            Array.Clear(_used);
            return (WorkLane)(waiting.Count == 1 ? waiting[0] : 0);
        }
        return (WorkLane)waiting.MinBy(i => _used[i] / _shares[i]);
    }
}
