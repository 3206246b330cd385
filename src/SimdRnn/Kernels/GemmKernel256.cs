// The Vector256 micro-kernel: a is a packed (6 x kc) panel of op(A), b a (kc x 2W) panel
// of op(B) with row stride ldb (W = Vector256<T>.Count: 16 floats or 8 doubles wide), c a (6 x 2W) tile of C.
// C tile = alpha * a * b + beta * C tile.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SimdRnn.Kernels;

/// <summary>C (6 x 2W) = alpha * A_panel (6 x kc) * B_panel (kc x 2W) + beta * C, on Vector256.</summary>
/// <remarks>
/// AVX2 has 16 ymm registers. The 6 x 2 tile keeps 12 accumulators, the two B vectors of the
/// current p and one broadcast of A live: 15 registers. 12 independent FMA chains cover the
/// latency (4 cycles) times throughput (2 per cycle) of Zen's FMA pipes with room to spare,
/// and each p costs 2 loads and 6 broadcasts for 12 FMAs.
/// </remarks>
[SkipLocalsInit]
internal unsafe struct GemmKernel256<T> : IGemmKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static int W => Vector256<T>.Count;

    public static int MR => 6;

    public static int NR => 2 * Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, T beta)
    {
        Vector256<T> c00 = default, c01 = default;
        Vector256<T> c10 = default, c11 = default;
        Vector256<T> c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default;
        Vector256<T> c40 = default, c41 = default;
        Vector256<T> c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<T> a0;
            Vector256<T> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 1 * W);
            a0 = Vector256.Create(a[0]); c00 = MulAdd(a0, b0, c00); c01 = MulAdd(a0, b1, c01);
            a0 = Vector256.Create(a[1]); c10 = MulAdd(a0, b0, c10); c11 = MulAdd(a0, b1, c11);
            a0 = Vector256.Create(a[2]); c20 = MulAdd(a0, b0, c20); c21 = MulAdd(a0, b1, c21);
            a0 = Vector256.Create(a[3]); c30 = MulAdd(a0, b0, c30); c31 = MulAdd(a0, b1, c31);
            a0 = Vector256.Create(a[4]); c40 = MulAdd(a0, b0, c40); c41 = MulAdd(a0, b1, c41);
            a0 = Vector256.Create(a[5]); c50 = MulAdd(a0, b0, c50); c51 = MulAdd(a0, b1, c51);
            a += 6;
            b += ldb;
        }
        Vector256<T> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        if (beta == T.Zero)
        {
            Vector256.Store(va * c00, c + 0 * ldc); Vector256.Store(va * c01, c + 0 * ldc + 1 * W);
            Vector256.Store(va * c10, c + 1 * ldc); Vector256.Store(va * c11, c + 1 * ldc + 1 * W);
            Vector256.Store(va * c20, c + 2 * ldc); Vector256.Store(va * c21, c + 2 * ldc + 1 * W);
            Vector256.Store(va * c30, c + 3 * ldc); Vector256.Store(va * c31, c + 3 * ldc + 1 * W);
            Vector256.Store(va * c40, c + 4 * ldc); Vector256.Store(va * c41, c + 4 * ldc + 1 * W);
            Vector256.Store(va * c50, c + 5 * ldc); Vector256.Store(va * c51, c + 5 * ldc + 1 * W);
        }
        else
        {
            Update(c + 0 * ldc, c00, va, vb); Update(c + 0 * ldc + 1 * W, c01, va, vb);
            Update(c + 1 * ldc, c10, va, vb); Update(c + 1 * ldc + 1 * W, c11, va, vb);
            Update(c + 2 * ldc, c20, va, vb); Update(c + 2 * ldc + 1 * W, c21, va, vb);
            Update(c + 3 * ldc, c30, va, vb); Update(c + 3 * ldc + 1 * W, c31, va, vb);
            Update(c + 4 * ldc, c40, va, vb); Update(c + 4 * ldc + 1 * W, c41, va, vb);
            Update(c + 5 * ldc, c50, va, vb); Update(c + 5 * ldc + 1 * W, c51, va, vb);
        }
    }

    /// <summary>C = beta * C + alpha * acc for one vector of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(T* c, Vector256<T> acc, Vector256<T> alpha, Vector256<T> beta)
        => Vector256.Store(MulAdd(beta, Vector256.Load(c), alpha * acc), c);

    /// <summary>x * y + z: fused where the hardware has FMA; elsewhere FusedMultiplyAdd would be
    /// emulated one element at a time, so a separate multiply and add is used instead.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MulAdd(Vector256<T> x, Vector256<T> y, Vector256<T> z)
    {
        if (!Fma.IsSupported)
            return x * y + z;
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        return x * y + z;
    }
}
