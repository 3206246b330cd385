using System.Numerics;
using System.Numerics.Tensors;
using SimdRnn.Memory;

namespace SimdRnn.Kernels;

/// <summary>Matrix-vector products: y = A x + beta y and y = A^T x + beta y.</summary>
internal static class Gemv
{
    /// <summary>y = A x + beta * y. A is (M, N), x is (N), y is (M).</summary>
    /// <remarks>Each y_i is one dot product of a contiguous row with x, so the reduction
    /// order is fixed by TensorPrimitives.Dot and the result is deterministic.</remarks>
    public static void Multiply<T>(Span<T> y, ReadOnlyMatrixSpan<T> a, ReadOnlySpan<T> x, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(y.Length, a.Rows, x.Length, a.Cols);
        for (int i = 0; i < a.Rows; i++)
        {
            T dot = TensorPrimitives.Dot(a.Row(i), x);
            y[i] = beta == T.Zero ? dot : dot + beta * y[i];
        }
    }

    /// <summary>y = A^T x + beta * y. A is (M, N), x is (M), y is (N).</summary>
    /// <remarks>Walks A by rows (y += x_i A_i), so every load is contiguous; a column walk
    /// would stride through memory.</remarks>
    public static void MultiplyTransposed<T>(Span<T> y, ReadOnlyMatrixSpan<T> a, ReadOnlySpan<T> x, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(y.Length, a.Cols, x.Length, a.Rows);
        if (beta == T.Zero) y.Clear();
        else if (beta != T.One) TensorPrimitives.Multiply(y, beta, y);
        for (int i = 0; i < a.Rows; i++)
            TensorPrimitives.MultiplyAdd(a.Row(i), x[i], y, y);
    }

    private static void CheckLengths(int yLength, int yNeeded, int xLength, int xNeeded)
    {
        if (yLength != yNeeded)
            throw new ArgumentException($"y has length {yLength} but the product has {yNeeded} entries.", "y");
        if (xLength != xNeeded)
            throw new ArgumentException($"x has length {xLength} but the matrix needs {xNeeded}.", "x");
    }
}
