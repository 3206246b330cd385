using System.Numerics;
using System.Numerics.Tensors;
using SimdRnn.Memory;

namespace SimdRnn.Kernels;

/// <summary>Rank-1 update: A += alpha * x y^T.</summary>
internal static class Ger
{
    /// <summary>A += alpha * x y^T. A is (M, N), x is (M), y is (N).</summary>
    public static void Update<T>(MatrixSpan<T> a, ReadOnlySpan<T> x, ReadOnlySpan<T> y, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length != a.Rows)
            throw new ArgumentException($"x has length {x.Length} but A has {a.Rows} rows.", nameof(x));
        if (y.Length != a.Cols)
            throw new ArgumentException($"y has length {y.Length} but A has {a.Cols} columns.", nameof(y));
        for (int i = 0; i < a.Rows; i++)
            TensorPrimitives.MultiplyAdd(y, alpha * x[i], a.Row(i), a.Row(i));
    }
}
