namespace UCoFIA.Storage.Tests;

/// <summary>Deterministic, L2-normalised feature vectors for tests.</summary>
internal static class Features
{
    public static float[] Random(Random random, int dim = StorageFixture.Dim)
    {
        var values = new float[dim];
        for (var i = 0; i < dim; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return Normalise(values);
    }

    /// <summary>A unit vector along one axis: cosine 1 with itself, 0 with the other axes, -1 with its negation.</summary>
    public static float[] Axis(int axis, float sign = 1f, int dim = StorageFixture.Dim)
    {
        var values = new float[dim];
        values[axis] = sign;
        return values;
    }

    public static float[] Normalise(float[] values)
    {
        var norm = MathF.Sqrt(values.Sum(v => v * v));
        return values.Select(v => v / norm).ToArray();
    }

    /// <param name="frames">F</param>
    /// <param name="patches">K per frame</param>
    public static VideoFeatureRows Video(Random random, int frames = 4, int patches = 3, int dim = StorageFixture.Dim) => new(
        Random(random, dim),
        Enumerable.Range(0, frames).SelectMany(_ => Random(random, dim)).ToArray(),
        Enumerable.Range(0, frames).Select(f => f * 0.5).ToArray(),
        Enumerable.Range(0, frames * patches).SelectMany(_ => Random(random, dim)).ToArray(),
        Enumerable.Range(0, frames).SelectMany(_ => Enumerable.Range(0, patches).Select(k => k * 7)).ToArray());

    public static VideoRecord Record(Guid? id = null, string? sha256 = null, DateTimeOffset? createdAt = null) => new(
        id ?? Guid.NewGuid(),
        sha256 ?? Guid.NewGuid().ToString("N"),
        "a title",
        5.0,
        25.0,
        125,
        createdAt ?? DateTimeOffset.UtcNow,
        """{"source": "test"}""");

    /// <summary>A video stored as one segment, as every short video is.</summary>
    /// <param name="id">The segment's id; the video's id makes it loadable by the video's id, as migrated videos are.</param>
    public static SegmentInsert[] Segments(VideoFeatureRows rows, Guid? id = null, SkBias? bias = null) =>
        [new SegmentInsert(id ?? Guid.NewGuid(), 0, 0, 5.0, 0, bias ?? SkBias.None(), rows)];

    /// <summary>halfvec keeps 11 significant bits: ~5e-4 relative per component.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance = 1e-3f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.InRange(actual[i], expected[i] - tolerance, expected[i] + tolerance);
        }
    }
}
