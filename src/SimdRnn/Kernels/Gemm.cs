using System.Numerics;
using SimdRnn.Memory;

namespace SimdRnn.Kernels;

/// <summary>General matrix multiply: C = alpha * op(A) * op(B) + beta * C.</summary>
internal static class Gemm
{
    /// <summary>
    /// C = alpha * op(A) * op(B) + beta * C, where op(X) is X or X^T.
    /// op(A) is (M, K), op(B) is (K, N), C is (M, N). With beta = 0, C is overwritten
    /// (whatever it held, NaN included, is ignored).
    /// </summary>
    public static void Multiply<T>(MatrixSpan<T> c, ReadOnlyMatrixSpan<T> a, bool transposeA,
                                   ReadOnlyMatrixSpan<T> b, bool transposeB, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // PLACEHOLDER: naive loops until the packed engine lands.
        int m = c.Rows, n = c.Cols, k = transposeA ? a.Rows : a.Cols;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                    sum += (transposeA ? a[p, i] : a[i, p]) * (transposeB ? b[j, p] : b[p, j]);
                c[i, j] = beta == T.Zero ? alpha * sum : alpha * sum + beta * c[i, j];
            }
    }
}
