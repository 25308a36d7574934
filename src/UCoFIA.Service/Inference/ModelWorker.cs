using System.Diagnostics;
using Microsoft.Extensions.Options;
using UCoFIA.Model;
using UCoFIA.Service.Domain;
using UCoFIA.Service.Options;

namespace UCoFIA.Service.Inference;

/// <summary>
/// The one owner of the model. Every tensor operation runs on this worker's thread, which owns the cores:
/// N request threads each spawning OpenMP threads were measured to be slower, and it keeps a GPU context
/// on one thread. Requests wait in three bounded lanes (<see cref="WorkLane"/>) shared by worker time; what is
/// waiting together in a lane is executed as one micro-batch: items of the same
/// <see cref="IBatchedWork{TRequest, TResult}"/> run in one call (texts encoded together; concurrent queries whose
/// candidates mostly coincide scored in one pass).
/// </summary>
public sealed class ModelWorker : BackgroundService
{
    private readonly LaneScheduler<WorkItem> _lanes;
    private readonly ModelOptions _options;
    private readonly ILogger<ModelWorker> _logger;
    private readonly TaskCompletionSource<UCoFIAModel> _model = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ModelWorker(IOptions<ModelOptions> options, ILogger<ModelWorker> logger)
    {
        _options = options.Value;
        _logger = logger;
        _lanes = new LaneScheduler<WorkItem>(_options.QueueCapacity, _options.BackgroundShare, _options.MaintenanceShare);
    }

    /// <summary>Completes once the checkpoint is loaded; faults if it cannot be.</summary>
    public Task<UCoFIAModel> Model => _model.Task;

    /// <summary>What was loaded, for the readiness check; set before <see cref="Model"/> completes, null until then.</summary>
    public LoadedModel? Loaded { get; private set; }

    /// <summary>The loaded model's sizes; completes with <see cref="Model"/>.</summary>
    public async Task<ModelSizes> SizesAsync() => ModelSizes.Of((await Model).Config);

    public Task<T> RunAsync<T>(Func<UCoFIAModel, T> work, CancellationToken cancellationToken, WorkLane lane = WorkLane.Interactive) =>
        EnqueueAsync(new SingleItem<T>(work), lane, cancellationToken);

    /// <summary>Runs <paramref name="request"/> with whatever else of the same <paramref name="work"/> is waiting in its lane.</summary>
    public Task<TResult> RunBatchedAsync<TRequest, TResult>(IBatchedWork<TRequest, TResult> work, TRequest request, CancellationToken cancellationToken,
        WorkLane lane = WorkLane.Interactive) =>
        EnqueueAsync(new BatchedItem<TRequest, TResult>(work, request), lane, cancellationToken);

    public Task<EncodedText[]> EncodeTextsAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken, WorkLane lane = WorkLane.Interactive) =>
        RunBatchedAsync(TextEncoding.Instance, texts, cancellationToken, lane);

    /// <exception cref="OverloadedException">The lane is full.</exception>
    private async Task<T> EnqueueAsync<T>(WorkItem<T> item, WorkLane lane, CancellationToken cancellationToken)
    {
        if (!_lanes.TryEnqueue(item, lane))
        {
            throw new OverloadedException();
        }
        return await item.Result.WaitAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // A dedicated thread, not the thread pool: the loop blocks in native code for the whole batch.
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        UCoFIAModel model;
        try
        {
            model = UCoFIAModel.Load(_options.Path, _options.Device);
            Loaded = new LoadedModel(Path.GetFullPath(_options.Path), ModelFingerprint.Of(_options.Path), model.Device.ToString(), model.ZeroShot);
            _logger.LogInformation("Loaded model {Fingerprint} from {Path} on {Device} (zero-shot: {ZeroShot})",
                Loaded.Fingerprint, _options.Path, model.Device, model.ZeroShot);
            _model.SetResult(model);
        }
        catch (Exception e)
        {
            _logger.LogCritical(e, "Could not load the model from {Path}", _options.Path);
            _model.SetException(e);
            foreach (var waiting in _lanes.Complete())
            {
                waiting.Fail(e);
            }
            return;
        }

        using (model)
        {
            try
            {
                while (true)
                {
                    var (lane, batch) = _lanes.Take(_options.MaxBatch, stoppingToken);
                    var started = Stopwatch.GetTimestamp();
                    Execute(model, batch);
                    _lanes.Charge(lane, Stopwatch.GetElapsedTime(started));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            foreach (var left in _lanes.Complete())
            {
                left.Fail(new OperationCanceledException("The service is shutting down."));
            }
        }
    }

    private void Execute(UCoFIAModel model, List<WorkItem> batch)
    {
        foreach (var group in batch.GroupBy(item => item.BatchKey ?? item))
        {
            var items = group.ToList();
            RunBatch(items, () => items[0].ExecuteGroup(model, items));
        }
    }

    private void RunBatch(IEnumerable<WorkItem> items, Action run)
    {
        try
        {
            run();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Model work failed");
            foreach (var item in items)
            {
                item.Fail(e);
            }
        }
    }

    private abstract class WorkItem
    {
        /// <summary>Items with the same key run in one call; null runs the item on its own.</summary>
        public virtual object? BatchKey => null;

        /// <param name="group">This item and the others with its <see cref="BatchKey"/>.</param>
        public abstract void ExecuteGroup(UCoFIAModel model, IReadOnlyList<WorkItem> group);

        public abstract void Fail(Exception error);
    }

    private abstract class WorkItem<T> : WorkItem
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Result => _result.Task;

        public void Complete(T value) => _result.TrySetResult(value);

        public override void Fail(Exception error) => _result.TrySetException(error);
    }

    private sealed class SingleItem<T>(Func<UCoFIAModel, T> work) : WorkItem<T>
    {
        public override void ExecuteGroup(UCoFIAModel model, IReadOnlyList<WorkItem> group) => Complete(work(model));
    }

    private sealed class BatchedItem<TRequest, TResult>(IBatchedWork<TRequest, TResult> work, TRequest request) : WorkItem<TResult>
    {
        public override object BatchKey => work;

        public override void ExecuteGroup(UCoFIAModel model, IReadOnlyList<WorkItem> group)
        {
            var items = group.Cast<BatchedItem<TRequest, TResult>>().ToList();
            var results = work.Execute(model, items.Select(i => i.Request).ToList());
            for (var i = 0; i < items.Count; i++)
            {
                items[i].Complete(results[i]);
            }
        }

        private TRequest Request => request;
    }

    /// <summary>Texts of all waiting callers encoded as one batch, then split back per caller.</summary>
    private sealed class TextEncoding : IBatchedWork<IReadOnlyList<string>, EncodedText[]>
    {
        public static readonly TextEncoding Instance = new();

        public IReadOnlyList<EncodedText[]> Execute(UCoFIAModel model, IReadOnlyList<IReadOnlyList<string>> requests)
        {
            var encoded = FeatureTensors.EncodeTexts(model, requests.SelectMany(r => r).ToList());
            var results = new EncodedText[requests.Count][];
            var offset = 0;
            for (var r = 0; r < requests.Count; r++)
            {
                results[r] = encoded[offset..(offset + requests[r].Count)];
                offset += requests[r].Count;
            }
            return results;
        }
    }
}
