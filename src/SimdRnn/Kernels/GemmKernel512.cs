// The Vector512 micro-kernel: a is a packed (12 x kc) panel of op(A), b a (kc x 2W) panel
// of op(B) with row stride ldb (W = Vector512<T>.Count: 32 floats or 16 doubles wide), c a (12 x 2W) tile of C.
// C tile = alpha * a * b + beta * C tile.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SimdRnn.Kernels;

/// <summary>C (12 x 2W) = alpha * A_panel (12 x kc) * B_panel (kc x 2W) + beta * C, on Vector512.</summary>
/// <remarks>
/// AVX-512 has 32 zmm registers. The 12 x 2 tile keeps 24 accumulators, the two B vectors of the
/// current p and one broadcast of A live: 27 registers, so nothing spills. Each p costs 2 vector
/// loads and 12 broadcasts for 24 FMAs, well inside the two loads per cycle Zen 4 sustains while
/// its FMA pipes (one zmm FMA per cycle, latency 4) have 24 independent chains to hide latency.
/// A 14 x 2 tile (31 registers) would leave the JIT's allocator no slack. The 8 x 3 tile of
/// <see cref="GemmKernel512Wide{T}"/> needs the same registers; a 48-wide panel pads narrow C
/// (N = 100 to 144, not 128) but fits row counts of 8k, so <see cref="Gemm"/> takes per product
/// whichever tile pads less.
/// </remarks>
[SkipLocalsInit]
internal unsafe struct GemmKernel512<T> : IGemmKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static int W => Vector512<T>.Count;

    public static int MR => 12;

    public static int NR => 2 * Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, T beta)
    {
        Vector512<T> c00 = default, c01 = default;
        Vector512<T> c10 = default, c11 = default;
        Vector512<T> c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default;
        Vector512<T> c40 = default, c41 = default;
        Vector512<T> c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default;
        Vector512<T> c70 = default, c71 = default;
        Vector512<T> c80 = default, c81 = default;
        Vector512<T> c90 = default, c91 = default;
        Vector512<T> c100 = default, c101 = default;
        Vector512<T> c110 = default, c111 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> a0;
            Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 1 * W);
            a0 = Vector512.Create(a[0]); c00 = MulAdd(a0, b0, c00); c01 = MulAdd(a0, b1, c01);
            a0 = Vector512.Create(a[1]); c10 = MulAdd(a0, b0, c10); c11 = MulAdd(a0, b1, c11);
            a0 = Vector512.Create(a[2]); c20 = MulAdd(a0, b0, c20); c21 = MulAdd(a0, b1, c21);
            a0 = Vector512.Create(a[3]); c30 = MulAdd(a0, b0, c30); c31 = MulAdd(a0, b1, c31);
            a0 = Vector512.Create(a[4]); c40 = MulAdd(a0, b0, c40); c41 = MulAdd(a0, b1, c41);
            a0 = Vector512.Create(a[5]); c50 = MulAdd(a0, b0, c50); c51 = MulAdd(a0, b1, c51);
            a0 = Vector512.Create(a[6]); c60 = MulAdd(a0, b0, c60); c61 = MulAdd(a0, b1, c61);
            a0 = Vector512.Create(a[7]); c70 = MulAdd(a0, b0, c70); c71 = MulAdd(a0, b1, c71);
            a0 = Vector512.Create(a[8]); c80 = MulAdd(a0, b0, c80); c81 = MulAdd(a0, b1, c81);
            a0 = Vector512.Create(a[9]); c90 = MulAdd(a0, b0, c90); c91 = MulAdd(a0, b1, c91);
            a0 = Vector512.Create(a[10]); c100 = MulAdd(a0, b0, c100); c101 = MulAdd(a0, b1, c101);
            a0 = Vector512.Create(a[11]); c110 = MulAdd(a0, b0, c110); c111 = MulAdd(a0, b1, c111);
            a += 12;
            b += ldb;
        }
        Vector512<T> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        if (beta == T.Zero)
        {
            Vector512.Store(va * c00, c + 0 * ldc); Vector512.Store(va * c01, c + 0 * ldc + 1 * W);
            Vector512.Store(va * c10, c + 1 * ldc); Vector512.Store(va * c11, c + 1 * ldc + 1 * W);
            Vector512.Store(va * c20, c + 2 * ldc); Vector512.Store(va * c21, c + 2 * ldc + 1 * W);
            Vector512.Store(va * c30, c + 3 * ldc); Vector512.Store(va * c31, c + 3 * ldc + 1 * W);
            Vector512.Store(va * c40, c + 4 * ldc); Vector512.Store(va * c41, c + 4 * ldc + 1 * W);
            Vector512.Store(va * c50, c + 5 * ldc); Vector512.Store(va * c51, c + 5 * ldc + 1 * W);
            Vector512.Store(va * c60, c + 6 * ldc); Vector512.Store(va * c61, c + 6 * ldc + 1 * W);
            Vector512.Store(va * c70, c + 7 * ldc); Vector512.Store(va * c71, c + 7 * ldc + 1 * W);
            Vector512.Store(va * c80, c + 8 * ldc); Vector512.Store(va * c81, c + 8 * ldc + 1 * W);
            Vector512.Store(va * c90, c + 9 * ldc); Vector512.Store(va * c91, c + 9 * ldc + 1 * W);
            Vector512.Store(va * c100, c + 10 * ldc); Vector512.Store(va * c101, c + 10 * ldc + 1 * W);
            Vector512.Store(va * c110, c + 11 * ldc); Vector512.Store(va * c111, c + 11 * ldc + 1 * W);
        }
        else
        {
            Update(c + 0 * ldc, c00, va, vb); Update(c + 0 * ldc + 1 * W, c01, va, vb);
            Update(c + 1 * ldc, c10, va, vb); Update(c + 1 * ldc + 1 * W, c11, va, vb);
            Update(c + 2 * ldc, c20, va, vb); Update(c + 2 * ldc + 1 * W, c21, va, vb);
            Update(c + 3 * ldc, c30, va, vb); Update(c + 3 * ldc + 1 * W, c31, va, vb);
            Update(c + 4 * ldc, c40, va, vb); Update(c + 4 * ldc + 1 * W, c41, va, vb);
            Update(c + 5 * ldc, c50, va, vb); Update(c + 5 * ldc + 1 * W, c51, va, vb);
            Update(c + 6 * ldc, c60, va, vb); Update(c + 6 * ldc + 1 * W, c61, va, vb);
            Update(c + 7 * ldc, c70, va, vb); Update(c + 7 * ldc + 1 * W, c71, va, vb);
            Update(c + 8 * ldc, c80, va, vb); Update(c + 8 * ldc + 1 * W, c81, va, vb);
            Update(c + 9 * ldc, c90, va, vb); Update(c + 9 * ldc + 1 * W, c91, va, vb);
            Update(c + 10 * ldc, c100, va, vb); Update(c + 10 * ldc + 1 * W, c101, va, vb);
            Update(c + 11 * ldc, c110, va, vb); Update(c + 11 * ldc + 1 * W, c111, va, vb);
        }
    }

    /// <summary>C = beta * C + alpha * acc for one vector of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Update(T* c, Vector512<T> acc, Vector512<T> alpha, Vector512<T> beta)
        => Vector512.Store(MulAdd(beta, Vector512.Load(c), alpha * acc), c);

    /// <summary>x * y + z, fused: a Vector512 that is accelerated on x86 is AVX-512F, which has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<T> MulAdd(Vector512<T> x, Vector512<T> y, Vector512<T> z)
    {
        if (!Vector512.IsHardwareAccelerated)
            return x * y + z;
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        return x * y + z;
    }
}
