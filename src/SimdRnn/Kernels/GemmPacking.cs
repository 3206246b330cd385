// Packing for the GEMM engine. PackA: op(A) block (mc x kc) -> ceil(mc/MR) panels, each (MR x kc)
// stored p-major (panel[p * MR + i]). PackB: op(B) block (kc x nc) -> ceil(nc/NR) panels, each
// (kc x NR) stored p-major (panel[p * NR + j]). Rows or columns past the block are zero.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SimdRnn.Kernels;

/// <summary>Copies blocks of op(A) and op(B) into the panel order the micro-kernels read.</summary>
/// <remarks>Packing is where the transposes go: the micro-kernel always reads one contiguous
/// run of MR (or NR) elements per p, whatever the storage, so it has no branch and no stride.
/// The zero padding makes edge tiles whole: padded rows and columns multiply into tile entries
/// that are never copied to C.</remarks>
internal static unsafe class GemmPacking
{
    /// <summary>Packs op(A)(0..mc, 0..kc). <paramref name="a"/> points at op(A)(0, 0): element
    /// (i, p) is a[i * lda + p], or a[p * lda + i] when <paramref name="transposed"/>.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(T* dst, T* a, nint lda, bool transposed, int mc, int kc, int mr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // With op(A) columns contiguous in A, the full panels are copied row by row of A first,
        // one vector per panel (see CopyColumnsByVector); the loop below does what is left.
        int pDone = transposed ? CopyColumnsByVector(dst, a, lda, kc, mr, mc / mr) : 0;
        for (int ir = 0; ir < mc; ir += mr, dst += (nint)mr * kc)
        {
            int rows = Math.Min(mr, mc - ir);
            if (transposed)
            {
                // Each p is a short straight copy.
                int p = rows == mr ? pDone : 0;
                for (T* src = a + ir + p * lda; p < kc; p++, src += lda)
                {
                    T* d = dst + p * mr;
                    int i = 0;
                    for (; i < rows; i++) d[i] = src[i];
                    for (; i < mr; i++) d[i] = T.Zero;
                }
            }
            else
            {
                // Rows of A are contiguous along p: 8 x 8 register transposes where they apply,
                // then walk each row once (one read stream) and scatter it with stride MR into
                // the panel, which sits in L1.
                int p0 = TransposeRowBlocks(dst, a + ir * lda, lda, rows, kc, mr);
                int i = 0;
                for (; i < rows; i++)
                {
                    T* src = a + (ir + i) * lda;
                    T* d = dst + i;
                    for (int p = p0; p < kc; p++) d[p * mr] = src[p];
                }
                for (; i < mr; i++)
                    for (int p = p0; p < kc; p++) dst[p * mr + i] = T.Zero;
            }
        }
    }

    /// <summary>For the first <paramref name="panels"/> (full) panels of a transposed op(A),
    /// dst[q * mr * kc + p * mr + i] = a[p * lda + q * mr + i] for i &lt; mr and p below the
    /// returned count: A is read row by row (one pass, one page at a time), each panel's mr entries
    /// of row p stored as one vector that spills into the panel's entries of p + 1, which the next
    /// row overwrites. So the last p is left to the caller, and a read past the panels stays within
    /// row p + 1 of A.</summary>
    private static int CopyColumnsByVector<T>(T* dst, T* a, nint lda, int kc, int mr, int panels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int end = kc - 1;
        if (end <= 0 || panels == 0)
            return 0;
        nint panelSize = (nint)mr * kc;
        if (Vector256.IsHardwareAccelerated && mr <= Vector256<T>.Count)
        {
            for (int p = 0; p < end; p++)
            {
                T* src = a + p * lda, d = dst + p * mr;
                for (int q = 0; q < panels; q++, src += mr, d += panelSize)
                    Vector256.Store(Vector256.Load(src), d);
            }
            return end;
        }
        if (Vector512.IsHardwareAccelerated && mr <= Vector512<T>.Count)
        {
            for (int p = 0; p < end; p++)
            {
                T* src = a + p * lda, d = dst + p * mr;
                for (int q = 0; q < panels; q++, src += mr, d += panelSize)
                    Vector512.Store(Vector512.Load(src), d);
            }
            return end;
        }
        return 0;
    }

    /// <summary>dst[p * mr + i] = a[i * lda + p] for float panels with all rows present, for p
    /// below the returned count (a multiple of 8; the caller packs the rest). Panels of mr = 8 (the
    /// wide Vector512 kernel's) are plain 8 x 8 transposes. Panels of mr = 6 (the Vector256
    /// kernel's) transpose the 6 rows and 2 zero rows, each p stored as one vector whose 2 zero
    /// lanes spill into p + 1's entries and are overwritten by its store; their last block ends
    /// before the panel's last p, so no store leaves the panel. Other tiles return 0.</summary>
    private static int TransposeRowBlocks<T>(T* dst, T* a, nint lda, int rows, int kc, int mr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || rows != mr || !Avx.IsSupported)
            return 0;
        float* src = (float*)a, d = (float*)dst;
        if (mr == 8)
        {
            int whole = kc & ~7;
            for (int p = 0; p < whole; p += 8)
                Transpose8x8(src + p, lda, d + p * 8, 8);
            return whole;
        }
        if (mr != 6)
            return 0;
        int end = (kc - 1) & ~7;
        for (int p = 0; p < end; p += 8)
            Transpose6x8(src + p, lda, d + p * 6);
        return end;
    }

    /// <summary>d[q * 6 + r] = s[r * lds + q] for r &lt; 6, q &lt; 8, writing 2 more (zero) floats past d[47].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose6x8(float* s, nint lds, float* d)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds);
        Vector256<float> r2 = Avx.LoadVector256(s + 2 * lds), r3 = Avx.LoadVector256(s + 3 * lds);
        Vector256<float> r4 = Avx.LoadVector256(s + 4 * lds), r5 = Avx.LoadVector256(s + 5 * lds);
        Vector256<float> r6 = Vector256<float>.Zero, r7 = Vector256<float>.Zero;
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        // In increasing q: each store's lanes 6 and 7 are overwritten by the next one.
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + 6, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 12, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 18, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 24, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 30, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 36, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 42, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>Packs op(B)(0..kc, 0..nc). <paramref name="b"/> points at op(B)(0, 0): element
    /// (p, j) is b[p * ldb + j], or b[j * ldb + p] when <paramref name="transposed"/>.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(T* dst, T* b, nint ldb, bool transposed, int kc, int nc, int nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int jr = 0; jr < nc; jr += nr, dst += (nint)nr * kc)
        {
            int cols = Math.Min(nr, nc - jr);
            if (transposed)
            {
                // Rows of B are columns of op(B), contiguous along p. Whole panels are transposed
                // in 8 x 8 (float) or 4 x 4 (double) register blocks: this packing is the main
                // cost when op(A) has only a few rows, and a scalar scatter runs at ~3 cycles
                // per element. The rest reads each row once and scatters it with stride NR.
                int j = 0;
                int p0 = cols == nr ? TransposeBlocks(dst, b + jr * ldb, ldb, kc, nr) : 0;
                if (p0 == kc)
                    continue;
                for (; j < cols; j++)
                {
                    T* src = b + (jr + j) * ldb;
                    T* d = dst + j;
                    for (int p = p0; p < kc; p++) d[p * nr] = src[p];
                }
                for (; j < nr; j++)
                    for (int p = 0; p < kc; p++) dst[p * nr + j] = T.Zero;
            }
            else
            {
                T* src = b + jr;
                for (int p = 0; p < kc; p++, src += ldb)
                {
                    T* d = dst + p * nr;
                    if (cols == nr && Vector256.IsHardwareAccelerated && nr % Vector256<T>.Count == 0)
                    {
                        // A panel row is one to four vectors; a Memmove call per row would cost more.
                        for (int j = 0; j < nr; j += Vector256<T>.Count)
                            Vector256.Store(Vector256.Load(src + j), d + j);
                    }
                    else
                    {
                        int j = 0;
                        for (; j < cols; j++) d[j] = src[j];
                        for (; j < nr; j++) d[j] = T.Zero;
                    }
                }
            }
        }
    }
    /// <summary>dst[p * nr + j] = src[j * ldb + p] for j &lt; nr and p below the returned count (a
    /// multiple of the block size; the caller packs the rest), with AVX register transposes.</summary>
    private static int TransposeBlocks<T>(T* dst, T* src, nint ldb, int kc, int nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Avx.IsSupported)
            return 0;
        if (typeof(T) == typeof(float) && nr % 8 == 0)
        {
            int kEnd = kc & ~7;
            for (int j = 0; j < nr; j += 8)
                for (int p = 0; p < kEnd; p += 8)
                    Transpose8x8((float*)src + j * ldb + p, ldb, (float*)dst + p * nr + j, nr);
            return kEnd;
        }
        if (typeof(T) == typeof(double) && nr % 4 == 0)
        {
            int kEnd = kc & ~3;
            for (int j = 0; j < nr; j += 4)
                for (int p = 0; p < kEnd; p += 4)
                    Transpose4x4((double*)src + j * ldb + p, ldb, (double*)dst + p * nr + j, nr);
            return kEnd;
        }
        return 0;
    }

    /// <summary>d[q * ldd + r] = s[r * lds + q] for an 8 x 8 block of floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, nint lds, float* d, nint ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds);
        Vector256<float> r2 = Avx.LoadVector256(s + 2 * lds), r3 = Avx.LoadVector256(s + 3 * lds);
        Vector256<float> r4 = Avx.LoadVector256(s + 4 * lds), r5 = Avx.LoadVector256(s + 5 * lds);
        Vector256<float> r6 = Avx.LoadVector256(s + 6 * lds), r7 = Avx.LoadVector256(s + 7 * lds);
        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ldd, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ldd, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ldd, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ldd, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ldd, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ldd, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>d[q * ldd + r] = s[r * lds + q] for a 4 x 4 block of doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(double* s, nint lds, double* d, nint ldd)
    {
        Vector256<double> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds);
        Vector256<double> r2 = Avx.LoadVector256(s + 2 * lds), r3 = Avx.LoadVector256(s + 3 * lds);
        Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<double> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(d + ldd, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(d + 2 * ldd, Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(d + 3 * ldd, Avx.Permute2x128(t1, t3, 0x31));
    }
}
