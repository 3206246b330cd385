// GEMM for a few rows (M <= 2), without packing. C is (M, N), op(A) is (M, K), op(B) is (K, N).
// C = alpha * op(A) * op(B) + beta * C.
using System.Numerics;
using System.Numerics.Tensors;

namespace SimdRnn.Kernels;

/// <summary>C = alpha * op(A) * op(B) + beta * C for M &lt;= <see cref="MaxRows"/>, row by row.</summary>
/// <remarks>
/// Packing B costs one pass over all K * N of it, which only pays off when the packed panels are
/// reused by many rows of A; the recurrence multiplies a single row (a batch of one) by W every
/// step. Below <see cref="MaxRows"/> rows each row of C is computed straight from the operands:
/// with B transposed every C_ij is a dot product of two contiguous rows, otherwise row i of C
/// is accumulated as sum_p A_ip B_p, one contiguous row of B at a time. Both reduce over p in a
/// fixed order, so the result is deterministic.
/// </remarks>
internal static unsafe class GemmSmall
{
    /// <summary>The most rows of C for which skipping the packing wins. Measured on Zen 3 (AVX2)
    /// at K = N = 100, B transposed: 1 row takes 2.3 us here and 6.1 us packed; at 4 rows the
    /// packed path is already faster (6.7 us against 8.8 us).</summary>
    public const int MaxRows = 2;

    public static void Multiply<T>(T* c, nint ldc, T* a, nint lda, bool transposeA,
                                   T* b, nint ldb, bool transposeB, int m, int n, int k, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Scratch for one gathered row of op(A) (when A is transposed) and one row of products.
        nint rowBytes = ((nint)k * sizeof(T) + 63) & ~(nint)63;
        byte* scratch = GemmScratch.Get(rowBytes + (nint)n * sizeof(T));
        var gathered = new Span<T>(scratch, k);
        var products = new Span<T>(scratch + rowBytes, n);

        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<T> x;
            if (transposeA)
            {
                T* src = a + i;
                for (int p = 0; p < k; p++, src += lda) gathered[p] = *src;
                x = gathered;
            }
            else
            {
                x = new ReadOnlySpan<T>(a + i * lda, k);
            }

            var cRow = new Span<T>(c + i * ldc, n);
            if (transposeB)
            {
                T* bRow = b;
                for (int j = 0; j < n; j++, bRow += ldb)
                {
                    T dot = TensorPrimitives.Dot(x, new ReadOnlySpan<T>(bRow, k));
                    cRow[j] = beta == T.Zero ? alpha * dot : alpha * dot + beta * cRow[j];
                }
            }
            else
            {
                products.Clear();
                T* bRow = b;
                for (int p = 0; p < k; p++, bRow += ldb)
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(bRow, n), x[p], products, products);
                if (beta == T.Zero)
                {
                    TensorPrimitives.Multiply(products, alpha, cRow);
                }
                else
                {
                    TensorPrimitives.Multiply(products, alpha, products);
                    TensorPrimitives.MultiplyAdd(cRow, beta, products, cRow);
                }
            }
        }
    }
}
