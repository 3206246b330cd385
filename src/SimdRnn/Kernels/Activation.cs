using System.Numerics;
using System.Runtime.CompilerServices;

namespace SimdRnn.Kernels;

/// <summary>
/// σ(x) = 1 / (1 + e^−x) and tanh(x) = 2σ(2x) − 1 on one <see cref="Vector{T}"/> or one value, for
/// kernels that fuse a gate's activation with the arithmetic around it. The vector forms use
/// <see cref="ExpFloat"/> for float and the runtime's vectorised exp for double; tanh through σ is
/// exact at ±∞ and has an absolute error of a few ulps of 1 near 0, like TensorPrimitives.Tanh.
/// </summary>
internal static class Activation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Sigmoid<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => Vector<T>.One / (Vector<T>.One + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Tanh<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var two = Vector<T>.One + Vector<T>.One;
        return two * Sigmoid(two * x) - Vector<T>.One;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sigmoid<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Exp<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector.As<float, T>(ExpFloat(Vector.As<T, float>(x)));
        if (typeof(T) == typeof(double)) return Vector.As<double, T>(Vector.Exp(Vector.As<T, double>(x)));
        throw new NotSupportedException($"No vector exp for {typeof(T).Name}.");
    }

    // Range reduction constants: ln 2 split so that n·ln2Hi is exact for |n| <= 128 (Cody-Waite).
    private const float Log2E = 1.44269504088896341f, Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;

    // Beyond these e^x is not a normal float: 2^n with n = round(x log2 e) must stay in [-126, 127].
    private const float ExpLow = -87.33654f, ExpHigh = 88.37626f;

    /// <summary>
    /// e^x in float: e^x = 2^n · e^r with n = round(x log2 e) and r = x − n ln 2 in [−ln2/2, ln2/2],
    /// e^r = 1 + r + r²·P(r) with Cephes' degree-5 P (about 1 ulp); 2^n is built in the exponent
    /// bits. Above <see cref="ExpHigh"/> it is +∞; below <see cref="ExpLow"/> it is e^ExpLow
    /// (1.2e-38, the smallest normal float, rather than a denormal or 0: an absolute error that
    /// no sum with 1 can see, and σ and tanh only ever add it to 1); NaN stays NaN. The native
    /// min/max and conversion, with the operand order that passes a NaN x through, make this about
    /// twice as fast as the runtime's Vector.Exp for float, which widens to double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<float> ExpFloat(Vector<float> x)
    {
        // max/min return their second operand when either is NaN: x goes second.
        var clamped = Vector.MinNative(new Vector<float>(ExpHigh), Vector.MaxNative(new Vector<float>(ExpLow), x));
        var n = Vector.Round(clamped * new Vector<float>(Log2E));
        var r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2Hi), clamped);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2Lo), r);
        var p = new Vector<float>(1.9875691500e-4f);
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1.3981999507e-3f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(8.3334519073e-3f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(4.1665795894e-2f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1.6666665459e-1f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(5.0000001201e-1f));
        var er = Vector.FusedMultiplyAdd(p, r * r, r) + Vector<float>.One;
        // n is a whole number in [-126, 128) here (NaN only when x is, and then er is NaN too).
        var twoToN = Vector.As<int, float>((Vector.ConvertToInt32Native(n) + new Vector<int>(127)) << 23);
        var e = er * twoToN;
        return Vector.ConditionalSelect(Vector.GreaterThan(x, new Vector<float>(ExpHigh)), new Vector<float>(float.PositiveInfinity), e);
    }
}
