using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using UCoFIA.Service.Options;
using UCoFIA.Service.Telemetry;

namespace UCoFIA.Service.Ingestion;

/// <summary>
/// The kept originals: one file per video, within a byte budget. When the budget is full a new original is simply not
/// kept (counted in <c>ucofia.originals.not_kept</c>); the upload still becomes a video. The budget is checked when a
/// video is stored, so two jobs finishing at once may pass it by one file.
/// </summary>
public sealed class OriginalStore
{
    private static readonly Meter Meter = new(ServiceTelemetry.Name);
    private static readonly Counter<long> NotKept = Meter.CreateCounter<long>(
        "ucofia.originals.not_kept", description: "Uploads whose original was not kept, by reason (disabled, budget).");

    private readonly StorageOptions _options;
    private readonly Lazy<long> _initialBytes;
    private long _addedBytes;

    public OriginalStore(IOptions<StorageOptions> options)
    {
        _options = options.Value;
        // Summed from disk once, on first use: a restart sees what earlier runs kept.
        _initialBytes = new Lazy<long>(() => Directory.Exists(_options.OriginalsDirectory)
            ? new DirectoryInfo(_options.OriginalsDirectory).EnumerateFiles().Sum(f => f.Length)
            : 0);
        Meter.CreateObservableGauge("ucofia.originals.bytes", () => BytesKept, unit: "By", description: "Bytes of kept originals.");
    }

    public long BytesKept => _initialBytes.Value + Interlocked.Read(ref _addedBytes);

    public string PathOf(Guid videoId) => Path.Combine(_options.OriginalsDirectory, $"{videoId:N}.video");

    /// <summary>Whether an original of this size will be kept: originals are on and it fits in the budget.</summary>
    public bool WillKeep(long bytes)
    {
        var reason = !_options.KeepOriginals ? "disabled" : BytesKept + bytes > _options.OriginalsBudgetBytes ? "budget" : null;
        if (reason is not null)
        {
            NotKept.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }
        return reason is null;
    }

    /// <summary>
    /// Moves a stored video's upload into place when its original is kept, else deletes it. Idempotent: a job resumed
    /// after a crash calls it again, and an upload already moved is not there any more.
    /// </summary>
    public void Settle(string uploadPath, Guid videoId, bool keep)
    {
        if (!File.Exists(uploadPath))
        {
            return;
        }
        if (!keep)
        {
            File.Delete(uploadPath);
            return;
        }
        UploadStore.CreatePrivateDirectory(_options.OriginalsDirectory);
        var bytes = new FileInfo(uploadPath).Length;
        File.Move(uploadPath, PathOf(videoId), overwrite: true);
        Interlocked.Add(ref _addedBytes, bytes);
    }

    public void Delete(Guid videoId)
    {
        var path = PathOf(videoId);
        if (File.Exists(path))
        {
            var bytes = new FileInfo(path).Length;
            File.Delete(path);
            Interlocked.Add(ref _addedBytes, -bytes);
        }
    }
}
