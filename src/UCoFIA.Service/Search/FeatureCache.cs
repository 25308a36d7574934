using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using UCoFIA.Service.Options;
using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Search;

/// <summary>
/// Candidate features kept in memory between queries, bounded by bytes, least recently used evicted first.
/// Popular videos are re-ranked by many queries; fetching their patch rows from Postgres each time dominates.
/// </summary>
public sealed class FeatureCache
{
    private static readonly Meter Meter = new(ServiceTelemetry.Name);
    private static readonly Counter<long> Lookups = Meter.CreateCounter<long>("ucofia.feature_cache.lookups", description: "Feature cache lookups by outcome.");

    private readonly long _capacityBytes;
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, LinkedListNode<GallerySegment>> _entries = [];
    private readonly LinkedList<GallerySegment> _recency = new();
    private long _bytes;

    public FeatureCache(IOptions<SearchOptions> options) => _capacityBytes = options.Value.FeatureCacheBytes;

    /// <summary>Returns the cached features among <paramref name="ids"/> and the ids that must be fetched.</summary>
    public (List<GallerySegment> Found, List<Guid> Missing) Lookup(IEnumerable<Guid> ids)
    {
        var found = new List<GallerySegment>();
        var missing = new List<Guid>();
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_entries.TryGetValue(id, out var node))
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    found.Add(node.Value);
                }
                else
                {
                    missing.Add(id);
                }
            }
        }
        Lookups.Add(found.Count, new KeyValuePair<string, object?>("outcome", "hit"));
        Lookups.Add(missing.Count, new KeyValuePair<string, object?>("outcome", "miss"));
        return (found, missing);
    }

    public void Add(IEnumerable<GallerySegment> features)
    {
        lock (_gate)
        {
            foreach (var f in features)
            {
                RemoveLocked(f.Id);
                if (f.SizeInBytes > _capacityBytes)
                {
                    continue;
                }
                _entries[f.Id] = _recency.AddFirst(f);
                _bytes += f.SizeInBytes;
            }
            while (_bytes > _capacityBytes && _recency.Last is { } oldest)
            {
                RemoveLocked(oldest.Value.Id);
            }
        }
    }

    /// <summary>Drops the segments of a video whose stored rows are gone.</summary>
    public void InvalidateVideo(Guid videoId)
    {
        lock (_gate)
        {
            foreach (var segment in _recency.Where(s => s.VideoId == videoId).ToList())
            {
                RemoveLocked(segment.Id);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _recency.Clear();
            _bytes = 0;
        }
    }

    private void RemoveLocked(Guid id)
    {
        if (_entries.Remove(id, out var node))
        {
            _recency.Remove(node);
            _bytes -= node.Value.SizeInBytes;
        }
    }
}
