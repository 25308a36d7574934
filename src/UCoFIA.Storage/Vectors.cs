using Pgvector;

namespace UCoFIA.Storage;

/// <summary>
/// The only place where features change representation: callers speak float[], the columns are halfvec.
/// </summary>
internal static class Vectors
{
    public const string HalfvecType = "halfvec";

    public static HalfVector ToHalf(ReadOnlySpan<float> values) => new(Narrow(values));

    public static float[] ToFloats(HalfVector vector) => Widen(vector.Memory.Span);

    /// <summary>Half precision, as halfvec columns store it.</summary>
    public static Half[] Narrow(ReadOnlySpan<float> values)
    {
        var half = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            half[i] = (Half)values[i];
        }
        return half;
    }

    public static float[] Widen(ReadOnlySpan<Half> values)
    {
        var single = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            single[i] = (float)values[i];
        }
        return single;
    }
}
