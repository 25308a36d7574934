using TorchSharp;
using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>
/// Tensor ops with a number argument, holding the TorchSharp <see cref="Scalar"/> alive across the native call.
/// </summary>
/// <remarks>
/// Why: TorchSharp (0.107) turns every number in an op (<c>t / 0.5</c>, <c>masked_fill(m, -1e9)</c>,
/// <c>clamp_min(1e-12)</c>, <c>arange(n)</c>, and the hidden alpha = 1 of <c>a + b</c> / <c>add(b)</c>) into a
/// temporary <see cref="Scalar"/>: a finalizable object whose only use is its native handle, read as a plain IntPtr
/// just before the P/Invoke, with no GC.KeepAlive. Once the handle is read the object is unreachable, so a GC during
/// the native call may run its finalizer, which frees the native c10::Scalar while libtorch is still reading it
/// (use-after-free: "toFloat … Scalar.h" errors or silently wrong numbers, more often under allocation pressure).
/// Here every Scalar is either disposed after the call (the <c>using</c> keeps it reachable until then) or a static
/// one that lives for the process; TorchSharp does not register Scalars in a DisposeScope, so a scope cannot free
/// the static ones. Use these instead of the operators wherever a number or a tensor sum is involved
/// (<c>a - b</c>, <c>a * b</c> and <c>a / b</c> between two tensors are safe: they take no Scalar).
/// </remarks>
internal static class ScalarOps
{
    /// <summary>The alpha of every tensor sum. Never disposed: it lives as long as the process.</summary>
    private static readonly Scalar One = 1L.ToScalar();

    /// <summary>a + b (the operator would make a temporary alpha = 1).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    public static Tensor Plus(this Tensor t, double value) => With(value.ToScalar(), s => t.add(s, One));

    /// <summary>t − value; a whole number keeps an integer tensor integer.</summary>
    public static Tensor Minus(this Tensor t, long value) => With(value.ToScalar(), s => t.sub(s));

    public static Tensor Times(this Tensor t, double value) => With(value.ToScalar(), s => t.mul(s));

    public static Tensor Over(this Tensor t, double value) => With(value.ToScalar(), s => t.div(s));

    public static Tensor MaskedFill(this Tensor t, Tensor mask, double value) => With(value.ToScalar(), s => t.masked_fill(mask, s));

    public static Tensor ClampMin(this Tensor t, double value) => With(value.ToScalar(), s => t.clamp_min(s));

    public static Tensor ClampMax(this Tensor t, double value) => With(value.ToScalar(), s => t.clamp_max(s));

    /// <summary>0, 1, …, n − 1 as int64 on <paramref name="device"/>.</summary>
    public static Tensor Arange(long n, Device device)
    {
        using var start = 0L.ToScalar();
        using var stop = n.ToScalar();
        return arange(start, stop, One, dtype: ScalarType.Int64, device: device);
    }

    private static Tensor With(Scalar scalar, Func<Scalar, Tensor> op)
    {
        using (scalar)
            return op(scalar);
    }
}
