using System.Numerics;
using System.Runtime.CompilerServices;

namespace SimdRnn.Kernels;

/// <summary>
/// σ(x) = 1 / (1 + e^−x) and tanh(x) = 2σ(2x) − 1 on one <see cref="Vector{T}"/> or one value, for
/// kernels that fuse a gate's activation with the arithmetic around it. The vector forms use the
/// runtime's vectorised exp; tanh through σ is exact at ±∞ and has an absolute error of a few ulps
/// of 1 near 0, like TensorPrimitives.Tanh.
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
        if (typeof(T) == typeof(float)) return Vector.As<float, T>(Vector.Exp(Vector.As<T, float>(x)));
        if (typeof(T) == typeof(double)) return Vector.As<double, T>(Vector.Exp(Vector.As<T, double>(x)));
        throw new NotSupportedException($"No vector exp for {typeof(T).Name}.");
    }
}
