using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using UCoFIA.Service.Options;
using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>
/// Candidate features kept in memory, in half precision (what Postgres stores, so nothing is lost), bounded by
/// bytes, least recently used evicted first. <see cref="FeatureCacheWarmer"/> fills it with the whole gallery up to
/// the budget, so the fetch stage reads memory rather than Postgres; misses are filled as queries meet them.
/// </summary>
public sealed class FeatureCache
{
    private static readonly Meter Meter = new(ServiceTelemetry.Name);
    private static readonly Counter<long> Lookups = Meter.CreateCounter<long>("ucofia.feature_cache.lookups", description: "Feature cache lookups by outcome.");

    private readonly long _capacityBytes;
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, LinkedListNode<CachedSegment>> _entries = [];
    private readonly LinkedList<CachedSegment> _recency = new();
    private TaskCompletionSource _cleared = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _bytes;
    private long _version;

    public FeatureCache(IOptions<SearchOptions> options)
    {
        _capacityBytes = options.Value.FeatureCacheBytes;
        Meter.CreateObservableGauge("ucofia.feature_cache.bytes", () => Bytes, unit: "By", description: "Bytes of candidate features held in memory.");
        Meter.CreateObservableGauge("ucofia.feature_cache.segments", () => Count, description: "Segments whose features are held in memory.");
    }

    public long CapacityBytes => _capacityBytes;

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Completes at the next <see cref="Clear"/>, after which the cache has to be filled again.</summary>
    public Task Cleared
    {
        get
        {
            lock (_gate)
            {
                return _cleared.Task;
            }
        }
    }

    /// <summary>
    /// Moves at every invalidation. Rows read from Postgres before a delete or a refit was applied here must not be
    /// cached after it: callers read the version before their read and hand it to <see cref="Add"/> or <see cref="TryFill"/>.
    /// </summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    public bool Contains(Guid id)
    {
        lock (_gate)
        {
            return _entries.ContainsKey(id);
        }
    }

    /// <summary>Returns the cached features among <paramref name="ids"/> and the ids that must be fetched.</summary>
    public (List<GallerySegment> Found, List<Guid> Missing) Lookup(IEnumerable<Guid> ids)
    {
        var cached = new List<CachedSegment>();
        var missing = new List<Guid>();
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_entries.TryGetValue(id, out var node))
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    cached.Add(node.Value);
                }
                else
                {
                    missing.Add(id);
                }
            }
        }
        Lookups.Add(cached.Count, new KeyValuePair<string, object?>("outcome", "hit"));
        Lookups.Add(missing.Count, new KeyValuePair<string, object?>("outcome", "miss"));
        return (cached.Select(c => c.ToSegment()).ToList(), missing); // widened outside the lock
    }

    /// <param name="readAt">the <see cref="Version"/> read before the features were loaded; stale rows are not kept</param>
    public void Add(IEnumerable<GallerySegment> features, long readAt)
    {
        var compact = features.Select(CachedSegment.From).ToList();
        lock (_gate)
        {
            if (readAt != _version)
            {
                return;
            }
            AddLocked(compact);
            while (_bytes > _capacityBytes && _recency.Last is { } oldest)
            {
                RemoveLocked(oldest.Value.Segment.Id);
            }
        }
    }

    /// <summary>Adds the segments only if they all fit in what is left of the budget; nothing is evicted.</summary>
    /// <param name="readAt">as for <see cref="Add"/>: stale rows are skipped, and filling goes on</param>
    /// <returns>false when the budget is reached, so filling further would only evict</returns>
    public bool TryFill(IEnumerable<GallerySegment> features, long readAt)
    {
        var compact = features.Select(CachedSegment.From).ToList();
        lock (_gate)
        {
            if (readAt != _version)
            {
                return true;
            }
            if (_bytes + compact.Sum(c => _entries.ContainsKey(c.Segment.Id) ? 0 : c.SizeInBytes) > _capacityBytes)
            {
                return false;
            }
            AddLocked(compact);
            return true;
        }
    }

    private void AddLocked(List<CachedSegment> compact)
    {
        foreach (var f in compact)
        {
            RemoveLocked(f.Segment.Id);
            if (f.SizeInBytes > _capacityBytes)
            {
                continue;
            }
            _entries[f.Segment.Id] = _recency.AddFirst(f);
            _bytes += f.SizeInBytes;
        }
    }

    /// <summary>Drops the segments of a video whose stored rows are gone.</summary>
    public void InvalidateVideo(Guid videoId)
    {
        lock (_gate)
        {
            _version++;
            foreach (var segment in _recency.Where(s => s.Segment.VideoId == videoId).ToList())
            {
                RemoveLocked(segment.Segment.Id);
            }
        }
    }

    public void Clear()
    {
        TaskCompletionSource cleared;
        lock (_gate)
        {
            _entries.Clear();
            _recency.Clear();
            _bytes = 0;
            _version++;
            (cleared, _cleared) = (_cleared, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        cleared.TrySetResult();
    }

    private void RemoveLocked(Guid id)
    {
        if (_entries.Remove(id, out var node))
        {
            _recency.Remove(node);
            _bytes -= node.Value.SizeInBytes;
        }
    }

    /// <summary>A segment whose features are held compact; <see cref="Segment"/> keeps no feature arrays of its own.</summary>
    private sealed record CachedSegment(GallerySegment Segment, CompactFeatureRows Features)
    {
        private static readonly VideoFeatureRows NoRows = new([], [], [], [], []);

        public long SizeInBytes => Features.SizeInBytes + 256;

        public static CachedSegment From(GallerySegment segment) =>
            new(segment with { Features = NoRows }, CompactFeatureRows.From(segment.Features));

        public GallerySegment ToSegment() => Segment with { Features = Features.Widen() };
    }
}
