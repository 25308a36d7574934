using Pgvector;

namespace UCoFIA.Storage;

/// <summary>
/// The only place where features change representation: callers speak float[], the columns are halfvec.
/// </summary>
internal static class Vectors
{
    public const string HalfvecType = "halfvec";

    public static HalfVector ToHalf(ReadOnlySpan<float> values)
    {
        var half = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            half[i] = (Half)values[i];
        }
        return new HalfVector(half);
    }

    public static float[] ToFloats(HalfVector vector)
    {
        var half = vector.Memory.Span;
        var values = new float[half.Length];
        for (var i = 0; i < half.Length; i++)
        {
            values[i] = (float)half[i];
        }
        return values;
    }
}
