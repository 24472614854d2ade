using TorchSharp;
using static TorchSharp.torch;

namespace AgentKit.Training.Model;

/// <summary>
/// Tensor operations with scalar operands whose native <see cref="Scalar"/> outlives the native call. Use these instead of
/// TorchSharp's operators and scalar overloads (<c>a + b</c>, <c>t * 0.5</c>, <c>t.pow(2)</c>, <c>t.clamp(lo, hi)</c>, …).
/// </summary>
/// <remarks>
/// Why: TorchSharp turns a number into a temporary <see cref="Scalar"/> (a finalizable wrapper of a native scalar; even
/// <c>a + b</c> is <c>add(b, alpha: 1)</c>), passes its raw handle to libtorch, and from then on the JIT treats the wrapper
/// as dead. A garbage collection during the native call can finalize it and free the native scalar while libtorch still
/// reads it ("Expected false to be true" in toFloat, "Unknown scalar type", or silently wrong values). Here every Scalar is
/// either a rooted constant or disposed after the call, which keeps it alive during the call. Integer operands go in as
/// <see cref="long"/> and floating ones as <see cref="double"/>: libtorch stores every integer scalar as int64 and every
/// floating one as a double, so results are bit-identical to the operators these replace.
/// </remarks>
internal static class TensorOps
{
    // Rooted for the process lifetime, never disposed: safe to share between threads (libtorch only reads it).
    private static readonly Scalar One = 1.ToScalar();

    /// <summary><c>a + b</c>.</summary>
    public static Tensor Add(Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>t + value</c>.</summary>
    public static Tensor Add(Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.add(s, One);
    }

    /// <summary><c>t + value</c> (integer).</summary>
    public static Tensor Add(Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.add(s, One);
    }

    /// <summary><c>x += y</c> in place; returns <paramref name="x"/>.</summary>
    public static Tensor AddInPlace(Tensor x, Tensor y) => x.add_(y, One);

    /// <summary><c>t - value</c> (integer).</summary>
    public static Tensor Sub(Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.sub(s);
    }

    /// <summary><c>t * value</c>.</summary>
    public static Tensor Mul(Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.mul(s);
    }

    /// <summary><c>t / value</c>.</summary>
    public static Tensor Div(Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.div(s);
    }

    /// <summary><c>t / value</c> (integer divisor, true division).</summary>
    public static Tensor Div(Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.div(s);
    }

    /// <summary><c>t ^ exponent</c> (integer exponent).</summary>
    public static Tensor Pow(Tensor t, long exponent)
    {
        using var s = exponent.ToScalar();
        return t.pow(s);
    }

    /// <summary>Clamps to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Tensor Clamp(Tensor t, double min, double max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return t.clamp(lo, hi);
    }

    /// <summary>Clamps from below at <paramref name="min"/> (integer).</summary>
    public static Tensor ClampMin(Tensor t, long min)
    {
        using var s = min.ToScalar();
        return t.clamp_min(s);
    }

    /// <summary><paramref name="t"/> with <paramref name="value"/> where <paramref name="mask"/> is true.</summary>
    public static Tensor MaskedFill(Tensor t, Tensor mask, long value)
    {
        using var s = value.ToScalar();
        return t.masked_fill(mask, s);
    }

    /// <summary><c>t &gt; value</c>.</summary>
    public static Tensor Gt(Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.gt(s);
    }

    /// <summary><c>t &gt; value</c> (integer).</summary>
    public static Tensor Gt(Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.gt(s);
    }

    /// <summary><c>t &lt; value</c>.</summary>
    public static Tensor Lt(Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.lt(s);
    }

    /// <summary><c>t &lt; value</c> (integer).</summary>
    public static Tensor Lt(Tensor t, long value)
    {
        using var s = value.ToScalar();
        return t.lt(s);
    }

    /// <summary><c>t &gt;= value</c>.</summary>
    public static Tensor Ge(Tensor t, double value)
    {
        using var s = value.ToScalar();
        return t.ge(s);
    }

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/> (default dtype).</summary>
    public static Tensor Full(long[] shape, double value, Device? device = null)
    {
        using var s = value.ToScalar();
        return full(shape, s, device: device);
    }

    /// <summary><c>start, start + step, …</c> below <paramref name="end"/>; int64 unless <paramref name="dtype"/> says otherwise.</summary>
    public static Tensor Arange(long start, long end, long step = 1, ScalarType? dtype = null, Device? device = null)
    {
        using var from = start.ToScalar();
        using var to = end.ToScalar();
        using var by = step.ToScalar();
        return arange(from, to, by, dtype, device);
    }
}
