// The wide Vector512 micro-kernel: a is a packed (8 x kc) panel of op(A), b a (kc x 3W)
// panel of op(B) with row stride ldb (W = Vector512<T>.Count: 48 floats or 24 doubles wide), c an (8 x 3W) tile of C.
// C tile = alpha * a * b + beta * C tile.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SimdRnn.Kernels;

/// <summary>C (8 x 3W) = alpha * A_panel (8 x kc) * B_panel (kc x 3W) + beta * C, on Vector512.</summary>
/// <remarks>
/// The same 24 accumulators as the 12 x 2 tile of <see cref="GemmKernel512{T}"/>, laid 8 rows by
/// 3 vectors: each p costs 3 vector loads and 8 broadcasts for 24 FMAs. It exists for the row
/// counts that 8 divides and 12 does not, above all the recurrence's batch of 32 rows, which the
/// 12-row tile covers as 12 + 12 + 8 with 11 % of its work thrown away; <see cref="Gemm"/> takes
/// whichever of the two tiles pads the product less.
/// </remarks>
[SkipLocalsInit]
internal unsafe struct GemmKernel512Wide<T> : IGemmKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static int W => Vector512<T>.Count;

    public static int MR => 8;

    public static int NR => 3 * Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, T beta)
    {
        Vector512<T> c00 = default, c01 = default, c02 = default;
        Vector512<T> c10 = default, c11 = default, c12 = default;
        Vector512<T> c20 = default, c21 = default, c22 = default;
        Vector512<T> c30 = default, c31 = default, c32 = default;
        Vector512<T> c40 = default, c41 = default, c42 = default;
        Vector512<T> c50 = default, c51 = default, c52 = default;
        Vector512<T> c60 = default, c61 = default, c62 = default;
        Vector512<T> c70 = default, c71 = default, c72 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> a0;
            Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + W), b2 = Vector512.Load(b + 2 * W);
            a0 = Vector512.Create(a[0]); c00 = MulAdd(a0, b0, c00); c01 = MulAdd(a0, b1, c01); c02 = MulAdd(a0, b2, c02);
            a0 = Vector512.Create(a[1]); c10 = MulAdd(a0, b0, c10); c11 = MulAdd(a0, b1, c11); c12 = MulAdd(a0, b2, c12);
            a0 = Vector512.Create(a[2]); c20 = MulAdd(a0, b0, c20); c21 = MulAdd(a0, b1, c21); c22 = MulAdd(a0, b2, c22);
            a0 = Vector512.Create(a[3]); c30 = MulAdd(a0, b0, c30); c31 = MulAdd(a0, b1, c31); c32 = MulAdd(a0, b2, c32);
            a0 = Vector512.Create(a[4]); c40 = MulAdd(a0, b0, c40); c41 = MulAdd(a0, b1, c41); c42 = MulAdd(a0, b2, c42);
            a0 = Vector512.Create(a[5]); c50 = MulAdd(a0, b0, c50); c51 = MulAdd(a0, b1, c51); c52 = MulAdd(a0, b2, c52);
            a0 = Vector512.Create(a[6]); c60 = MulAdd(a0, b0, c60); c61 = MulAdd(a0, b1, c61); c62 = MulAdd(a0, b2, c62);
            a0 = Vector512.Create(a[7]); c70 = MulAdd(a0, b0, c70); c71 = MulAdd(a0, b1, c71); c72 = MulAdd(a0, b2, c72);
            a += 8;
            b += ldb;
        }
        Vector512<T> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        if (beta == T.Zero)
        {
            StoreRow(c + 0 * ldc, va * c00, va * c01, va * c02);
            StoreRow(c + 1 * ldc, va * c10, va * c11, va * c12);
            StoreRow(c + 2 * ldc, va * c20, va * c21, va * c22);
            StoreRow(c + 3 * ldc, va * c30, va * c31, va * c32);
            StoreRow(c + 4 * ldc, va * c40, va * c41, va * c42);
            StoreRow(c + 5 * ldc, va * c50, va * c51, va * c52);
            StoreRow(c + 6 * ldc, va * c60, va * c61, va * c62);
            StoreRow(c + 7 * ldc, va * c70, va * c71, va * c72);
        }
        else
        {
            UpdateRow(c + 0 * ldc, c00, c01, c02, va, vb);
            UpdateRow(c + 1 * ldc, c10, c11, c12, va, vb);
            UpdateRow(c + 2 * ldc, c20, c21, c22, va, vb);
            UpdateRow(c + 3 * ldc, c30, c31, c32, va, vb);
            UpdateRow(c + 4 * ldc, c40, c41, c42, va, vb);
            UpdateRow(c + 5 * ldc, c50, c51, c52, va, vb);
            UpdateRow(c + 6 * ldc, c60, c61, c62, va, vb);
            UpdateRow(c + 7 * ldc, c70, c71, c72, va, vb);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(T* c, Vector512<T> x0, Vector512<T> x1, Vector512<T> x2)
    {
        Vector512.Store(x0, c);
        Vector512.Store(x1, c + W);
        Vector512.Store(x2, c + 2 * W);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdateRow(T* c, Vector512<T> x0, Vector512<T> x1, Vector512<T> x2, Vector512<T> alpha, Vector512<T> beta)
    {
        GemmKernel512<T>.Update(c, x0, alpha, beta);
        GemmKernel512<T>.Update(c + W, x1, alpha, beta);
        GemmKernel512<T>.Update(c + 2 * W, x2, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MulAdd(Vector512<T> x, Vector512<T> y, Vector512<T> z) => GemmKernel512<T>.MulAdd(x, y, z);
}
