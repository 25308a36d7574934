using System.Security.Cryptography;
using Npgsql;
using UCoFIA.Media.Synthetic;
using UCoFIA.Model;
using UCoFIA.Storage;
using static TorchSharp.torch;

namespace UCoFIA.Cli.Bench;

/// <summary>
/// Realistic gallery features without decoding N videos: a pool of synthetic clips is encoded once with the model,
/// and every gallery video is a pool video with Gaussian noise added to each unit feature (then re-normalised),
/// so the gallery keeps the model's feature distribution (clusters by scene) while no two videos are identical.
/// </summary>
public sealed class GalleryFiller
{
    private readonly VideoFeatureRows[] _pool;
    private readonly Random _random;
    private readonly double _sigma;

    private GalleryFiller(VideoFeatureRows[] pool, double noise, int seed)
    {
        _pool = pool;
        _random = new Random(seed);
        // noise is the expected norm of the perturbation: D components of σ each.
        _sigma = noise / Math.Sqrt(pool[0].Video.Length);
    }

    public int PoolSize => _pool.Length;

    /// <summary>Encodes <paramref name="scenes"/> in batches; returns the filler and the time spent encoding.</summary>
    public static (GalleryFiller Filler, TimeSpan Encode) Create(UCoFIAModel model, IReadOnlyList<SceneSpec> scenes, double noise, int seed)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var frames = model.Config.Alignment.NumFrames;
        var size = model.Config.Vision.ImageSize;
        var pool = new List<VideoFeatureRows>();
        foreach (var batch in scenes.Chunk(32))
        {
            var pixels = new float[batch.Length * frames * 3 * size * size];
            Parallel.For(0, batch.Length, i =>
                SceneRenderer.RenderNormalized(batch[i], frames, size).CopyTo(pixels, i * frames * 3 * size * size));
            using var scope = NewDisposeScope();
            using var input = tensor(pixels, [batch.Length, frames, 3, size, size]); // [B, F, 3, S, S]
            using var mask = ones([batch.Length, frames], ScalarType.Bool); // [B, F]
            using var encoded = model.EncodeVideo(input, mask);
            var d = (int)encoded.Video.shape[1];
            var k = (int)encoded.Patches.shape[2];
            var video = encoded.Video.cpu().data<float>().ToArray(); // [B, D]
            var frameFeatures = encoded.Frames.cpu().contiguous().data<float>().ToArray(); // [B, F, D]
            var patches = encoded.Patches.cpu().contiguous().data<float>().ToArray(); // [B, F, K, D]
            var indices = encoded.PatchIndices?.cpu().data<long>().ToArray() ?? new long[batch.Length * frames * k]; // [B, F, K]
            for (var b = 0; b < batch.Length; b++)
            {
                pool.Add(new VideoFeatureRows(
                    video.AsSpan(b * d, d).ToArray(),
                    frameFeatures.AsSpan(b * frames * d, frames * d).ToArray(),
                    Enumerable.Range(0, frames).Select(f => f * 3.0 / frames).ToArray(),
                    patches.AsSpan(b * frames * k * d, frames * k * d).ToArray(),
                    indices.AsSpan(b * frames * k, frames * k).ToArray().Select(i => (int)i).ToArray()));
            }
        }
        return (new GalleryFiller([.. pool], noise, seed), watch.Elapsed);
    }

    /// <summary>Gallery videos number <paramref name="from"/> to <paramref name="to"/> − 1, generated lazily.</summary>
    public IEnumerable<BulkVideo> Videos(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var source = _pool[i % _pool.Length];
            var record = new VideoRecord(
                Guid.NewGuid(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), $"bench-{i:D7}",
                3.0, 8.0, 24, DateTimeOffset.UtcNow, """{"bench": true}""");
            yield return new BulkVideo(record, source with
            {
                Video = Perturb(source.Video, source.Dim),
                Frames = Perturb(source.Frames, source.Dim),
                Patches = Perturb(source.Patches, source.Dim),
            });
        }
    }

    /// <summary>Adds noise to each D-long unit vector of <paramref name="units"/> and normalises it again.</summary>
    private float[] Perturb(float[] units, int d)
    {
        var result = new float[units.Length];
        for (var start = 0; start < units.Length; start += d)
        {
            double norm = 0;
            for (var i = start; i < start + d; i++)
            {
                // Box–Muller.
                var g = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
                result[i] = (float)(units[i] + _sigma * g);
                norm += result[i] * result[i];
            }
            var inverse = (float)(1 / Math.Sqrt(norm));
            for (var i = start; i < start + d; i++)
            {
                result[i] *= inverse;
            }
        }
        return result;
    }

    /// <summary>Bytes on disk of the three feature tables (heap, TOAST and indexes).</summary>
    public static async Task<(long Videos, long Frames, long Patches, long Count)> FeatureBytesAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT pg_total_relation_size('videos'), pg_total_relation_size('video_frames'), pg_total_relation_size('video_patches'), (SELECT count(*) FROM videos)");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }
}
