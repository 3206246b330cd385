// C is (M, N); op(A) is (M, K): A is stored (M, K), or (K, M) when transposed;
// op(B) is (K, N): B is stored (K, N), or (N, K) when transposed.
// C = alpha * op(A) * op(B) + beta * C.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SimdRnn.Memory;

namespace SimdRnn.Kernels;

/// <summary>General matrix multiply: C = alpha * op(A) * op(B) + beta * C.</summary>
/// <remarks>
/// The engine follows Goto and van de Geijn: op(B) is packed into (K x NR) column panels, op(A)
/// into (MR x K) row panels, both zero-padded to whole panels, so a register-blocked micro-kernel
/// (<see cref="GemmKernel512{T}"/>, <see cref="GemmKernel256{T}"/>, <see cref="GemmKernelScalar{T}"/>)
/// runs with no tail and no transpose branch. Calls with a handful of rows skip packing
/// (<see cref="GemmSmall"/>). Every element of C is reduced in a fixed order (over the K blocks
/// in order, and within a block p = 0, 1, ...), so the same inputs give bit-identical results.
/// C must not overlap A or B.
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>
    /// C = alpha * op(A) * op(B) + beta * C, where op(X) is X or X^T.
    /// op(A) is (M, K), op(B) is (K, N), C is (M, N). With beta = 0, C is overwritten
    /// (whatever it held, NaN included, is ignored). With alpha = 0 or K = 0, A and B are not
    /// read and C becomes beta * C, as in BLAS.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes of A, B and C do not agree.</exception>
    public static void Multiply<T>(MatrixSpan<T> c, ReadOnlyMatrixSpan<T> a, bool transposeA,
                                   ReadOnlyMatrixSpan<T> b, bool transposeB, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Multiply(c, a, transposeA, b, transposeB, alpha, beta, GemmPath.Auto);

    /// <summary>The same product on a chosen <paramref name="path"/>; tests and benchmarks use it
    /// to run every kernel on one machine (a kernel the hardware lacks runs in software, slowly
    /// but correctly).</summary>
    internal static void Multiply<T>(MatrixSpan<T> c, ReadOnlyMatrixSpan<T> a, bool transposeA,
                                     ReadOnlyMatrixSpan<T> b, bool transposeB, T alpha, T beta, GemmPath path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = c.Rows, n = c.Cols;
        int am = transposeA ? a.Cols : a.Rows, k = transposeA ? a.Rows : a.Cols;
        int bk = transposeB ? b.Cols : b.Rows, bn = transposeB ? b.Rows : b.Cols;
        if (am != m)
            throw new ArgumentException($"op(A) has {am} rows but C has {m} rows.", nameof(a));
        if (bn != n)
            throw new ArgumentException($"op(B) has {bn} columns but C has {n} columns.", nameof(b));
        if (bk != k)
            throw new ArgumentException($"op(B) has {bk} rows but op(A) has {k} columns.", nameof(b));
        // The views validate themselves when built; checking again costs nothing and makes the
        // unchecked pointer code below safe even for a view assembled some other way.
        CheckExtent(c.Data.Length, c.Rows, c.Cols, c.Stride, nameof(c));
        CheckExtent(a.Data.Length, a.Rows, a.Cols, a.Stride, nameof(a));
        CheckExtent(b.Data.Length, b.Rows, b.Cols, b.Stride, nameof(b));
        if (m == 0 || n == 0)
            return;

        fixed (T* pc = c.Data)
        fixed (T* pa = a.Data)
        fixed (T* pb = b.Data)
        {
            if (k == 0 || alpha == T.Zero)
            {
                Scale(pc, c.Stride, m, n, beta);
                return;
            }
            if (path == GemmPath.Auto)
                path = m <= GemmSmall.MaxRows ? GemmPath.Small : BestPacked;
            switch (path)
            {
                case GemmPath.Small:
                    GemmSmall.Multiply(pc, c.Stride, pa, a.Stride, transposeA, pb, b.Stride, transposeB, m, n, k, alpha, beta);
                    break;
                case GemmPath.Vector512:
                    Blocked<T, GemmKernel512<T>>(pc, c.Stride, pa, a.Stride, transposeA, pb, b.Stride, transposeB, m, n, k, alpha, beta);
                    break;
                case GemmPath.Vector256:
                    Blocked<T, GemmKernel256<T>>(pc, c.Stride, pa, a.Stride, transposeA, pb, b.Stride, transposeB, m, n, k, alpha, beta);
                    break;
                default:
                    Blocked<T, GemmKernelScalar<T>>(pc, c.Stride, pa, a.Stride, transposeA, pb, b.Stride, transposeB, m, n, k, alpha, beta);
                    break;
            }
        }
    }

    /// <summary>The widest packed kernel the hardware runs natively.</summary>
    internal static GemmPath BestPacked =>
        Vector512.IsHardwareAccelerated ? GemmPath.Vector512 :
        Vector256.IsHardwareAccelerated ? GemmPath.Vector256 : GemmPath.Scalar;

    private static void CheckExtent(int length, int rows, int cols, int stride, string name)
    {
        if (rows < 0 || cols < 0 || stride < cols || length < MatrixShape.Span(rows, cols, stride))
            throw new ArgumentException($"A {rows} x {cols} view with stride {stride} does not fit in {length} elements.", name);
    }

    /// <summary>C = beta * C; beta = 0 writes zeros so that NaN in C does not survive.</summary>
    private static void Scale<T>(T* c, nint ldc, int m, int n, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (beta == T.One)
            return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + i * ldc, n);
            if (beta == T.Zero)
                row.Clear();
            else
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    // Block sizes, from what each level of cache must hold on Zen 3/Zen 4 (32 KB L1d per core;
    // 512 KB (Zen 3) or 1 MB (Zen 4) L2 per core; 32 MB L3 shared by up to 8 cores):
    // - KC: one packed B micro-panel (KC x NR) is reused by every A micro-panel of the MC block,
    //   so it should stay in L1. 16 KB, half of L1d, leaves the other half for the A micro-panel
    //   streaming in from L2 and the C tile. Deeper K blocks would also cut the C traffic
    //   (C is read and written once per K block), but past half of L1 the B panel gets evicted.
    // - MC: the packed A block (MC x KC) is reused for every B micro-panel of the NC block, so it
    //   should stay in L2. 256 KB is half of Zen 3's L2 and a quarter of Zen 4's, which leaves
    //   room for the B micro-panels passing through and for C.
    // - NC: the packed B block (KC x NC) is reused by every MC block, from L3; 4 MB is one
    //   core's share of a 32 MB L3 and keeps the per-thread scratch bounded.
    private const int L1Bytes = 16 * 1024, L2Bytes = 256 * 1024, L3Bytes = 4 * 1024 * 1024;

    /// <summary>The BLIS loop nest: jc (NC columns of C) / pc (KC of the reduction) / ic (MC
    /// rows of C) around the macro-kernel. The jc and ic iterations write disjoint parts of C,
    /// so a thread team can split them later without changing the reduction order.</summary>
    // Fully optimised from the first call: a training run's first steps should not pay for
    // tier-0 code in loops that run millions of times per call.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked<T, TKernel>(T* c, nint ldc, T* a, nint lda, bool transposeA,
                                            T* b, nint ldb, bool transposeB, int m, int n, int k, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR, size = sizeof(T);
        int kcMax = Math.Clamp(L1Bytes / (nr * size), 64, 512);
        int mcMax = Math.Max(mr, L2Bytes / (kcMax * size) / mr * mr);
        int ncMax = Math.Max(nr, L3Bytes / (kcMax * size) / nr * nr);

        int kcBuf = Math.Min(k, kcMax);
        nint aBytes = RoundUp64((nint)RoundUp(Math.Min(m, mcMax), mr) * kcBuf * size);
        nint bBytes = RoundUp64((nint)RoundUp(Math.Min(n, ncMax), nr) * kcBuf * size);
        nint tileBytes = RoundUp64((nint)mr * nr * size);
        byte* scratch = GemmScratch.Get(aBytes + bBytes + tileBytes);
        T* packedA = (T*)scratch, packedB = (T*)(scratch + aBytes), tile = (T*)(scratch + aBytes + bBytes);

        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                // Only the first K block sees the caller's beta; later ones add to what it wrote.
                T betaBlock = pc == 0 ? beta : T.One;
                T* bBlock = transposeB ? b + jc * ldb + pc : b + pc * ldb + jc;
                GemmPacking.PackB(packedB, bBlock, ldb, transposeB, kc, nc, nr);
                for (int ic = 0; ic < m; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m - ic);
                    T* aBlock = transposeA ? a + pc * lda + ic : a + ic * lda + pc;
                    GemmPacking.PackA(packedA, aBlock, lda, transposeA, mc, kc, mr);
                    Macro<T, TKernel>(c + ic * ldc + jc, ldc, packedA, packedB, tile, mc, nc, kc, alpha, betaBlock);
                }
            }
        }
    }

    /// <summary>C block (mc x nc) = alpha * packedA * packedB + beta * C block. The ir loop is
    /// innermost so one B micro-panel stays in L1 while the A micro-panels stream from L2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Macro<T, TKernel>(T* c, nint ldc, T* packedA, T* packedB, T* tile,
                                          int mc, int nc, int kc, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            T* bPanel = packedB + (nint)jr * kc;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                T* aPanel = packedA + (nint)ir * kc;
                T* cTile = c + ir * ldc + jr;
                if (rows == mr && cols == nr)
                {
                    TKernel.Run(kc, aPanel, bPanel, cTile, ldc, alpha, beta);
                }
                else
                {
                    // The padded panels make the kernel compute a whole tile; only its valid
                    // corner may reach C, whose neighbours belong to the caller.
                    TKernel.Run(kc, aPanel, bPanel, tile, nr, T.One, T.Zero);
                    for (int i = 0; i < rows; i++)
                    {
                        T* src = tile + i * nr;
                        T* dst = cTile + i * ldc;
                        if (beta == T.Zero)
                            for (int j = 0; j < cols; j++) dst[j] = alpha * src[j];
                        else
                            for (int j = 0; j < cols; j++) dst[j] = alpha * src[j] + beta * dst[j];
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint RoundUp64(nint bytes) => (bytes + 63) & ~(nint)63;
}

/// <summary>Which implementation <see cref="Gemm"/> runs.</summary>
internal enum GemmPath
{
    /// <summary>No packing for a few rows, else the widest natively accelerated packed kernel.</summary>
    Auto,
    /// <summary>Dot products / row updates straight from A and B, no packing (<see cref="GemmSmall"/>).</summary>
    Small,
    /// <summary>Packed panels, 12 x 2-vector Vector512 micro-kernel.</summary>
    Vector512,
    /// <summary>Packed panels, 6 x 2-vector Vector256 micro-kernel.</summary>
    Vector256,
    /// <summary>Packed panels, 4 x 4 scalar micro-kernel.</summary>
    Scalar,
}
