using System.Threading.Channels;
using Microsoft.Extensions.Options;
using UCoFIA.Model;
using UCoFIA.Service.Errors;
using UCoFIA.Service.Options;

namespace UCoFIA.Service.Search;

/// <summary>
/// The one owner of the model. Every tensor operation runs on this worker's thread, which owns the cores:
/// N request threads each spawning OpenMP threads were measured to be slower, and it keeps a GPU context
/// on one thread. Requests wait in a bounded channel; what is waiting together is executed as one
/// micro-batch (texts encoded together; concurrent queries whose candidates mostly coincide scored in one pass).
/// </summary>
public sealed class ModelWorker : BackgroundService
{
    private readonly Channel<WorkItem> _queue;
    private readonly ModelOptions _options;
    private readonly ILogger<ModelWorker> _logger;
    private readonly TaskCompletionSource<UCoFIAModel> _model = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ModelWorker(IOptions<ModelOptions> options, ILogger<ModelWorker> logger)
    {
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Completes once the checkpoint is loaded; faults if it cannot be.</summary>
    public Task<UCoFIAModel> Model => _model.Task;

    public Task<T> RunAsync<T>(Func<UCoFIAModel, T> work, CancellationToken cancellationToken) =>
        EnqueueAsync(new SingleItem<T>(work), cancellationToken);

    public Task<EncodedText[]> EncodeTextsAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        EnqueueAsync(new TextItem(texts), cancellationToken);

    public Task<RerankResult> RerankAsync(RerankRequest request, CancellationToken cancellationToken) =>
        EnqueueAsync(new RerankItem(request), cancellationToken);

    private async Task<T> EnqueueAsync<T>(WorkItem<T> item, CancellationToken cancellationToken)
    {
        if (!_queue.Writer.TryWrite(item))
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, "overloaded", "The model is busy.",
                "Too many requests are waiting for the model. Retry shortly.");
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
            _logger.LogInformation("Loaded model from {Path} on {Device} (zero-shot: {ZeroShot})", _options.Path, model.Device, model.ZeroShot);
            _model.SetResult(model);
        }
        catch (Exception e)
        {
            _logger.LogCritical(e, "Could not load the model from {Path}", _options.Path);
            _model.SetException(e);
            _queue.Writer.TryComplete(e);
            return;
        }

        using (model)
        {
            var batch = new List<WorkItem>(_options.MaxBatch);
            try
            {
                while (_queue.Reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
                {
                    batch.Clear();
                    while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var item))
                    {
                        batch.Add(item);
                    }
                    Execute(model, batch);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            while (_queue.Reader.TryRead(out var left))
            {
                left.Fail(new OperationCanceledException("The service is shutting down."));
            }
        }
    }

    private void Execute(UCoFIAModel model, List<WorkItem> batch)
    {
        var texts = batch.OfType<TextItem>().ToList();
        var reranks = batch.OfType<RerankItem>().ToList();
        if (texts.Count > 0)
        {
            RunBatch(texts, () => TextItem.ExecuteBatch(model, texts));
        }
        if (reranks.Count > 0)
        {
            RunBatch(reranks, () => RerankItem.ExecuteBatch(model, reranks));
        }
        foreach (var item in batch.Where(i => i is not TextItem and not RerankItem))
        {
            RunBatch([item], () => item.Execute(model));
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
        public abstract void Execute(UCoFIAModel model);

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
        public override void Execute(UCoFIAModel model) => Complete(work(model));
    }

    private sealed class TextItem(IReadOnlyList<string> texts) : WorkItem<EncodedText[]>
    {
        private IReadOnlyList<string> Texts { get; } = texts;

        public override void Execute(UCoFIAModel model) => ExecuteBatch(model, [this]);

        public static void ExecuteBatch(UCoFIAModel model, IReadOnlyList<TextItem> items)
        {
            var all = items.SelectMany(i => i.Texts).ToList();
            var encoded = FeatureTensors.EncodeTexts(model, all);
            var offset = 0;
            foreach (var item in items)
            {
                item.Complete(encoded[offset..(offset + item.Texts.Count)]);
                offset += item.Texts.Count;
            }
        }
    }

    private sealed class RerankItem(RerankRequest request) : WorkItem<RerankResult>
    {
        private RerankRequest Request { get; } = request;

        public override void Execute(UCoFIAModel model) => ExecuteBatch(model, [this]);

        public static void ExecuteBatch(UCoFIAModel model, IReadOnlyList<RerankItem> items)
        {
            var results = Reranker.Score(model, items.Select(i => i.Request).ToList());
            for (var i = 0; i < items.Count; i++)
            {
                items[i].Complete(results[i]);
            }
        }
    }
}
