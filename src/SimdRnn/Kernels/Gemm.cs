// C is (M, N); op(A) is (M, K): A is stored (M, K), or (K, M) when transposed;
// op(B) is (K, N): B is stored (K, N), or (N, K) when transposed.
// C = alpha * op(A) * op(B) + beta * C.
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SimdRnn.Memory;
using SimdRnn.Threading;

namespace SimdRnn.Kernels;

/// <summary>General matrix multiply: C = alpha * op(A) * op(B) + beta * C.</summary>
/// <remarks>
/// The engine follows Goto and van de Geijn: op(B) is packed into (K x NR) column panels, op(A)
/// into (MR x K) row panels, both zero-padded to whole panels, so a register-blocked micro-kernel
/// (<see cref="GemmKernel512{T}"/> or <see cref="GemmKernel512Wide{T}"/>, whichever pads C less,
/// <see cref="GemmKernel256{T}"/>, <see cref="GemmKernelScalar{T}"/>) runs with no tail and no
/// transpose branch; a row-major op(B) of a product with few row tiles is read in place instead.
/// Calls with a handful of rows skip packing (<see cref="GemmSmall"/>). Every element of C is reduced in a fixed order (over the K blocks
/// in order, and within a block p = 0, 1, ...), so the same inputs give bit-identical results.
/// Over a <see cref="ThreadTeam"/>, C is cut into chunks of whole micro-tiles and each chunk runs
/// the same loop nest, so that order, and the result, do not depend on the number of threads.
/// C must not overlap A or B.
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>
    /// C = alpha * op(A) * op(B) + beta * C, where op(X) is X or X^T, on the calling thread.
    /// op(A) is (M, K), op(B) is (K, N), C is (M, N). With beta = 0, C is overwritten
    /// (whatever it held, NaN included, is ignored). With alpha = 0 or K = 0, A and B are not
    /// read and C becomes beta * C, as in BLAS.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes of A, B and C do not agree.</exception>
    public static void Multiply<T>(MatrixSpan<T> c, ReadOnlyMatrixSpan<T> a, bool transposeA,
                                   ReadOnlyMatrixSpan<T> b, bool transposeB, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Multiply(c, a, transposeA, b, transposeB, alpha, beta, GemmPath.Auto, ThreadTeam.Single, 0, 0);

    /// <summary>
    /// C = alpha * op(A) * op(B) + beta * C as above, with the blocks of C shared out over the
    /// threads of <paramref name="team"/>. Each element of C is computed by exactly one thread,
    /// with exactly the operations and reduction order of the single-threaded call, so the result
    /// is bit-identical for any number of threads (one included). Products too small to repay
    /// waking the team (about 10^6 flops), and those of a few rows, run on the caller alone.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes of A, B and C do not agree.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="team"/> is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="team"/> has been disposed.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="team"/> is already running work
    /// (a call from inside the team's own work, or from another thread meanwhile).</exception>
    public static void Multiply<T>(MatrixSpan<T> c, ReadOnlyMatrixSpan<T> a, bool transposeA,
                                   ReadOnlyMatrixSpan<T> b, bool transposeB, T alpha, T beta, ThreadTeam team)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Multiply(c, a, transposeA, b, transposeB, alpha, beta, GemmPath.Auto, team, 0, 0);

    /// <summary>The same product on a chosen <paramref name="path"/>; tests and benchmarks use it
    /// to run every kernel on one machine (a kernel the hardware lacks runs in software, slowly
    /// but correctly).</summary>
    internal static void Multiply<T>(MatrixSpan<T> c, ReadOnlyMatrixSpan<T> a, bool transposeA,
                                     ReadOnlyMatrixSpan<T> b, bool transposeB, T alpha, T beta, GemmPath path)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Multiply(c, a, transposeA, b, transposeB, alpha, beta, path, ThreadTeam.Single, 0, 0);

    /// <summary>The product on a chosen <paramref name="path"/> and <paramref name="team"/>. With
    /// <paramref name="rowChunks"/> and <paramref name="colChunks"/> both 0 the split of C is
    /// planned from the shape; otherwise C is cut into that grid of chunks (clamped to whole
    /// micro-tiles), whatever the size, so tests can exercise every partition.</summary>
    internal static void Multiply<T>(MatrixSpan<T> c, ReadOnlyMatrixSpan<T> a, bool transposeA,
                                     ReadOnlyMatrixSpan<T> b, bool transposeB, T alpha, T beta, GemmPath path,
                                     ThreadTeam team, int rowChunks, int colChunks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(team);
        team.ThrowIfUnavailable();
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
                path = m <= GemmSmall.MaxRows ? GemmPath.Small : BestPacked<T>(m, n);
            switch (path)
            {
                case GemmPath.Small:
                    GemmSmall.Multiply(pc, c.Stride, pa, a.Stride, transposeA, pb, b.Stride, transposeB, m, n, k, alpha, beta);
                    break;
                case GemmPath.Vector512Wide:
                    Packed<T, GemmKernel512Wide<T>>(pc, c.Stride, pa, a.Stride, transposeA, pb, b.Stride, transposeB, m, n, k, alpha, beta, team, rowChunks, colChunks, null, 0);
                    break;
                case GemmPath.Vector512:
                    Packed<T, GemmKernel512<T>>(pc, c.Stride, pa, a.Stride, transposeA, pb, b.Stride, transposeB, m, n, k, alpha, beta, team, rowChunks, colChunks, null, 0);
                    break;
                case GemmPath.Vector256:
                    Packed<T, GemmKernel256<T>>(pc, c.Stride, pa, a.Stride, transposeA, pb, b.Stride, transposeB, m, n, k, alpha, beta, team, rowChunks, colChunks, null, 0);
                    break;
                default:
                    Packed<T, GemmKernelScalar<T>>(pc, c.Stride, pa, a.Stride, transposeA, pb, b.Stride, transposeB, m, n, k, alpha, beta, team, rowChunks, colChunks, null, 0);
                    break;
            }
        }
    }

    /// <summary>
    /// C = alpha * op(A) * B + beta * C, where B is op(B) packed once by
    /// <see cref="PackedMatrix{T}.Pack(ReadOnlyMatrixSpan{T}, bool, int)"/>: the unpacked product without
    /// its packing of B. Bit-identical to the unpacked call on the packed kernel (which the unpacked
    /// call takes for more than <see cref="GemmSmall.MaxRows"/> rows), for any number of threads.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes of A, B and C do not agree.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="b"/> or <paramref name="team"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="b"/> has not been packed, or the
    /// team is already running work.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="b"/> or the team has been disposed.</exception>
    public static void Multiply<T>(MatrixSpan<T> c, ReadOnlyMatrixSpan<T> a, bool transposeA,
                                   PackedMatrix<T> b, T alpha, T beta, ThreadTeam team)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Multiply(c, a, transposeA, b, alpha, beta, team, 0, 0);

    /// <summary>The packed product with a forced grid of chunks, as for the unpacked overload.</summary>
    internal static void Multiply<T>(MatrixSpan<T> c, ReadOnlyMatrixSpan<T> a, bool transposeA,
                                     PackedMatrix<T> b, T alpha, T beta, ThreadTeam team, int rowChunks, int colChunks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(team);
        team.ThrowIfUnavailable();
        if (!b.IsPacked)
            throw new InvalidOperationException("The packed matrix holds nothing: call Pack first.");
        int m = c.Rows, n = c.Cols;
        int am = transposeA ? a.Cols : a.Rows, k = transposeA ? a.Rows : a.Cols;
        if (am != m)
            throw new ArgumentException($"op(A) has {am} rows but C has {m} rows.", nameof(a));
        if (b.Cols != n)
            throw new ArgumentException($"op(B) has {b.Cols} columns but C has {n} columns.", nameof(b));
        if (b.Rows != k)
            throw new ArgumentException($"op(B) has {b.Rows} rows but op(A) has {k} columns.", nameof(b));
        CheckExtent(c.Data.Length, c.Rows, c.Cols, c.Stride, nameof(c));
        CheckExtent(a.Data.Length, a.Rows, a.Cols, a.Stride, nameof(a));
        if (m == 0 || n == 0)
            return;

        fixed (T* pc = c.Data)
        fixed (T* pa = a.Data)
        {
            if (k == 0 || alpha == T.Zero)
            {
                Scale(pc, c.Stride, m, n, beta);
                return;
            }
            T* packed = b.Pointer;
            int ldp = b.PaddedCols;
            switch (b.Path)
            {
                case GemmPath.Vector512Wide:
                    Packed<T, GemmKernel512Wide<T>>(pc, c.Stride, pa, a.Stride, transposeA, null, 0, false, m, n, k, alpha, beta, team, rowChunks, colChunks, packed, ldp);
                    break;
                case GemmPath.Vector512:
                    Packed<T, GemmKernel512<T>>(pc, c.Stride, pa, a.Stride, transposeA, null, 0, false, m, n, k, alpha, beta, team, rowChunks, colChunks, packed, ldp);
                    break;
                case GemmPath.Vector256:
                    Packed<T, GemmKernel256<T>>(pc, c.Stride, pa, a.Stride, transposeA, null, 0, false, m, n, k, alpha, beta, team, rowChunks, colChunks, packed, ldp);
                    break;
                default:
                    Packed<T, GemmKernelScalar<T>>(pc, c.Stride, pa, a.Stride, transposeA, null, 0, false, m, n, k, alpha, beta, team, rowChunks, colChunks, packed, ldp);
                    break;
            }
        }
    }

    /// <summary>The elements op(B) (K x N) takes packed for <paramref name="path"/>'s kernel, and N
    /// rounded up to whole NR panels (see <see cref="PackedMatrix{T}"/> for the layout).</summary>
    internal static (int Length, int PaddedCols) PackedSize<T>(GemmPath path, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int nr = path switch
        {
            GemmPath.Vector512Wide => GemmKernel512Wide<T>.NR,
            GemmPath.Vector512 => GemmKernel512<T>.NR,
            GemmPath.Vector256 => GemmKernel256<T>.NR,
            _ => GemmKernelScalar<T>.NR,
        };
        int padded = RoundUp(n, nr);
        return (checked(padded * k), padded);
    }

    /// <summary>Packs all of op(B) into <paramref name="dst"/> (<see cref="PackedSize{T}"/> elements)
    /// for <paramref name="path"/>'s kernel.</summary>
    internal static void PackWhole<T>(T* dst, ReadOnlyMatrixSpan<T> b, bool transposeB, GemmPath path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckExtent(b.Data.Length, b.Rows, b.Cols, b.Stride, nameof(b));
        int k = transposeB ? b.Cols : b.Rows, n = transposeB ? b.Rows : b.Cols;
        if (k == 0 || n == 0)
            return;
        fixed (T* pb = b.Data)
        {
            switch (path)
            {
                case GemmPath.Vector512Wide:
                    PackWhole<T, GemmKernel512Wide<T>>(dst, pb, b.Stride, transposeB, k, n);
                    break;
                case GemmPath.Vector512:
                    PackWhole<T, GemmKernel512<T>>(dst, pb, b.Stride, transposeB, k, n);
                    break;
                case GemmPath.Vector256:
                    PackWhole<T, GemmKernel256<T>>(dst, pb, b.Stride, transposeB, k, n);
                    break;
                default:
                    PackWhole<T, GemmKernelScalar<T>>(dst, pb, b.Stride, transposeB, k, n);
                    break;
            }
        }
    }

    /// <summary>Each K block of op(B), all N columns of it, with the very call the blocked loop
    /// makes per (jc, pc) block: the panels come out the same whatever NC block they fall in.</summary>
    private static void PackWhole<T, TKernel>(T* dst, T* b, nint ldb, bool transposeB, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmKernel<T>
    {
        int kcMax = BlockSizes<T, TKernel>().Kc, padded = RoundUp(n, TKernel.NR);
        for (int pc = 0; pc < k; pc += kcMax)
        {
            int kc = Math.Min(kcMax, k - pc);
            T* bBlock = transposeB ? b + pc : b + pc * ldb;
            GemmPacking.PackB(dst + (nint)pc * padded, bBlock, ldb, transposeB, kc, n, TKernel.NR);
        }
    }

    /// <summary>The packed kernel for an (m x n) C: the widest the hardware runs natively and, on
    /// Vector512, the tile (12 x 2W or 8 x 3W) whose whole tiles cover C with fewer padded
    /// elements (the 12-row tile on a tie).</summary>
    internal static GemmPath BestPacked<T>(int m, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Vector512.IsHardwareAccelerated)
            return Vector256.IsHardwareAccelerated ? GemmPath.Vector256 : GemmPath.Scalar;
        long tall = (long)RoundUp(m, GemmKernel512<T>.MR) * RoundUp(n, GemmKernel512<T>.NR);
        long wide = (long)RoundUp(m, GemmKernel512Wide<T>.MR) * RoundUp(n, GemmKernel512Wide<T>.NR);
        return wide < tall ? GemmPath.Vector512Wide : GemmPath.Vector512;
    }

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

    // Block sizes, measured on Zen 4 (32 KB L1d and 1 MB L2 per core, 32 MB L3) and sized by
    // the cache level each block is reused from:
    // - KC: a deeper K block means fewer passes over C (C is read and written once per K block)
    //   and fewer micro-kernel prologues and epilogues. The textbook choice keeps the (KC x NR)
    //   B micro-panel in half of L1 (KC = 128 for the Vector512 float kernel), but on Zen 4 the
    //   panel streams from L2 at full speed with the hardware prefetcher, and KC = 512 (a 64 KB
    //   panel) measured 10-20 % faster than 128 on every shape that matters here (512^3, the
    //   32-row recurrence, the 2048-row input projection); 256 lay in between.
    // - MC: the packed A block (MC x KC) is reused for every B micro-panel of the NC block, so it
    //   should stay in L2: 512 KB is half of Zen 4's L2, which leaves room for the B micro-panels
    //   passing through and for C (1 MB, the whole L2, measured slower).
    // - NC: the packed B block (KC x NC) is reused by every MC block, from L3; 4 MB is one
    //   core's share of a 32 MB L3 and keeps the per-thread scratch bounded.
    private const int PanelBytes = 64 * 1024, L2Bytes = 512 * 1024, L3Bytes = 4 * 1024 * 1024;

    /// <summary>The most row tiles (MR rows each) for which a row-major op(B) is read in place
    /// rather than packed. Packing B reads and writes all of it once, which pays off when many row
    /// tiles reuse the packed panels; for the few rows of the recurrence (B = 32) and of the seed's
    /// sentence (T = 20) that copy costs more than reading B's rows, each NR columns long, in place.</summary>
    internal const int InPlaceMaxRowTiles = 8;

    /// <summary>Whether the unpacked engine reads op(B) in place for a product of
    /// <paramref name="rowTiles"/> row tiles: only a row-major op(B), and only for a few tiles.</summary>
    internal static bool ReadsBInPlace(bool transposeB, int rowTiles) => !transposeB && rowTiles <= InPlaceMaxRowTiles;

    /// <summary>Fewer flops (2 M N K) than this run on the caller even when a team is given.
    /// Measured on the 2-core Zen 3 (AVX2) with the workers still polling from the previous call:
    /// handing out the work and waiting for the last worker costs a few microseconds, which 10^6
    /// flops (about 15 us on one core) repay; below it the second thread gains little or loses.</summary>
    internal const double ParallelMinFlops = 1e6;

    // Packing one element (a load and a scattered store) costs about as long as 16 single-lane
    // multiply-adds of the micro-kernel (two 8-lane FMAs per cycle); the split plan weighs the
    // panels each chunk must pack again against the tiles it computes.
    private const double PackWeight = 16;

    /// <summary>The packed engine on the caller, or over <paramref name="team"/> in a grid of
    /// chunks of C.</summary>
    private static void Packed<T, TKernel>(T* c, nint ldc, T* a, nint lda, bool transposeA,
                                           T* b, nint ldb, bool transposeB, int m, int n, int k, T alpha, T beta,
                                           ThreadTeam team, int rowChunks, int colChunks, T* prepacked, int ldp)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmKernel<T>
    {
        int tilesM = (m + TKernel.MR - 1) / TKernel.MR, tilesN = (n + TKernel.NR - 1) / TKernel.NR;
        if (rowChunks <= 0 || colChunks <= 0)
        {
            if (team.Count == 1 || 2.0 * m * n * k < ParallelMinFlops)
                (rowChunks, colChunks) = (1, 1);
            else
            {
                // A chunk packs its columns of B unless B comes packed or is read in place.
                bool packsB = prepacked == null && !ReadsBInPlace(transposeB, tilesM);
                (rowChunks, colChunks) = PlanSplit(tilesM, tilesN, TKernel.MR, TKernel.NR, team.Count, packsB);
            }
        }
        rowChunks = Math.Min(rowChunks, tilesM);
        colChunks = Math.Min(colChunks, tilesN);
        if (rowChunks * colChunks == 1)
        {
            Blocked<T, TKernel>(c, ldc, a, lda, transposeA, b, ldb, transposeB, m, n, k, alpha, beta, prepacked, 0, ldp);
            return;
        }
        var work = new TeamGemm<T, TKernel>
        {
            C = c, Ldc = ldc, A = a, Lda = lda, TransposeA = transposeA, B = b, Ldb = ldb, TransposeB = transposeB,
            M = m, N = n, K = k, Alpha = alpha, Beta = beta,
            TilesM = tilesM, TilesN = tilesN, RowChunks = rowChunks, ColChunks = colChunks,
            Prepacked = prepacked, Ldp = ldp,
        };
        team.Run(ref work);
    }

    /// <summary>The grid of chunks (rows x columns of C, each a run of whole micro-tiles) that
    /// minimises the estimated time on <paramref name="workers"/> threads: rounds of chunks times
    /// (tiles computed + panels packed) per chunk; B's panels count only when the chunks pack them
    /// (<paramref name="packsB"/>).</summary>
    /// <remarks>A chunk packs all of its rows of A and all of its columns of B, so cutting C into
    /// column ranges repeats the packing of A in every range, and row ranges repeat B's. The plan
    /// therefore cuts the long side: columns for the per-step recurrence (32 x 2048) and the W1
    /// output layer (20 x 8000), rows for the output layer 2048 x 65 and for 8000 x 100, where a
    /// handful of NR-wide column panels would not divide evenly. Up to 4 chunks per worker are
    /// considered, because a finer grid evens out tile counts that do not divide; the chunks are
    /// claimed dynamically, so a worker that wakes late or shares its core does fewer. With B packed
    /// once ahead (W_hh for all steps), only A's packing is repeated, so the recurrence's 32 rows
    /// split into row ranges, which divide evenly where 11 or 43 column panels do not.</remarks>
    internal static (int Rows, int Cols) PlanSplit(int tilesM, int tilesN, int mr, int nr, int workers, bool packsB = true)
    {
        int maxChunks = 4 * workers;
        (int, int) best = (1, 1);
        double bestCost = double.MaxValue;
        int bestChunks = int.MaxValue;
        for (int pm = 1; pm <= Math.Min(tilesM, maxChunks); pm++)
        {
            int rowTiles = (tilesM + pm - 1) / pm;
            for (int pn = 1; pn <= Math.Min(tilesN, maxChunks / pm); pn++)
            {
                int colTiles = (tilesN + pn - 1) / pn;
                int chunks = pm * pn, rounds = (chunks + workers - 1) / workers;
                double packed = rowTiles * mr + (packsB ? colTiles * nr : 0);
                double cost = rounds * ((double)rowTiles * colTiles * mr * nr + PackWeight * packed);
                if (cost < bestCost || (cost == bestCost && chunks < bestChunks))
                    (best, bestCost, bestChunks) = ((pm, pn), cost, chunks);
            }
        }
        return best;
    }

    /// <summary>One team GEMM: C cut into RowChunks x ColChunks chunks along micro-tile
    /// boundaries, claimed by the workers one at a time.</summary>
    /// <remarks>Every chunk starts on a multiple of MR rows and NR columns and ends on one or at
    /// the edge of C, and MC and NC are multiples of MR and NR, so the chunk's own loop nest
    /// lays the same micro-tiles (full or edge) over its part of C as the single-threaded loop
    /// nest does, and each runs over the same K blocks: every element sees the same operations
    /// in the same order whoever computes it.</remarks>
    private struct TeamGemm<T, TKernel> : ITeamWork
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmKernel<T>
    {
        public T* C, A, B, Prepacked;
        public nint Ldc, Lda, Ldb;
        public int Ldp;
        public bool TransposeA, TransposeB;
        public int M, N, K, TilesM, TilesN, RowChunks, ColChunks;
        public T Alpha, Beta;
        private int _next;

        public void Execute(int worker, int workers)
        {
            int mr = TKernel.MR, nr = TKernel.NR, total = RowChunks * ColChunks;
            // Size this thread's scratch for the largest chunk before claiming any, so a worker
            // that happens to claim nothing in one call does not allocate in a later one.
            int maxRows = Math.Min(M, (TilesM + RowChunks - 1) / RowChunks * mr);
            int maxCols = Math.Min(N, (TilesN + ColChunks - 1) / ColChunks * nr);
            GemmScratch.Get(ScratchBytes<T, TKernel>(maxRows, Prepacked == null ? maxCols : 0, K).Total);
            int chunk;
            while ((chunk = Interlocked.Increment(ref _next) - 1) < total)
            {
                int rc = chunk / ColChunks, cc = chunk - rc * ColChunks;
                int i0 = (int)((long)TilesM * rc / RowChunks) * mr;
                int i1 = Math.Min(M, (int)((long)TilesM * (rc + 1) / RowChunks) * mr);
                int j0 = (int)((long)TilesN * cc / ColChunks) * nr;
                int j1 = Math.Min(N, (int)((long)TilesN * (cc + 1) / ColChunks) * nr);
                T* a = TransposeA ? A + i0 : A + i0 * Lda;
                T* b = B == null ? null : TransposeB ? B + j0 * Ldb : B + j0;
                Blocked<T, TKernel>(C + i0 * Ldc + j0, Ldc, a, Lda, TransposeA, b, Ldb, TransposeB,
                                    i1 - i0, j1 - j0, K, Alpha, Beta, Prepacked, j0, Ldp);
            }
        }
    }

    /// <summary>KC, MC and NC for a kernel (see the block-size comment above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Kc, int Mc, int Nc) BlockSizes<T, TKernel>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR, size = sizeof(T);
        int kcMax = Math.Clamp(PanelBytes / (nr * size), 64, 512);
        int mcMax = Math.Max(mr, L2Bytes / (kcMax * size) / mr * mr);
        int ncMax = Math.Max(nr, L3Bytes / (kcMax * size) / nr * nr);
        return (kcMax, mcMax, ncMax);
    }

    /// <summary>The scratch one (m x n x k) product needs: the packed A block, the packed B block
    /// and an edge tile, each rounded to 64 bytes.</summary>
    private static (nint ABytes, nint BBytes, nint Total) ScratchBytes<T, TKernel>(int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR, size = sizeof(T);
        (int kcMax, int mcMax, int ncMax) = BlockSizes<T, TKernel>();
        int kcBuf = Math.Min(k, kcMax);
        nint aBytes = RoundUp64((nint)RoundUp(Math.Min(m, mcMax), mr) * kcBuf * size);
        nint bBytes = RoundUp64((nint)RoundUp(Math.Min(n, ncMax), nr) * kcBuf * size);
        nint tileBytes = RoundUp64((nint)mr * nr * size);
        return (aBytes, bBytes, aBytes + bBytes + tileBytes);
    }

    /// <summary>The BLIS loop nest: jc (NC columns of C) / pc (KC of the reduction) / ic (MC
    /// rows of C) around the macro-kernel. The jc and ic iterations write disjoint parts of C;
    /// a team runs this nest on tile-aligned chunks of C (see <see cref="TeamGemm{T, TKernel}"/>).
    /// With <paramref name="prepacked"/> (all of op(B) packed, <paramref name="ldp"/> padded columns;
    /// this chunk starts at its column <paramref name="col0"/>) B is not packed but its panels are
    /// read in place; otherwise <paramref name="col0"/> and <paramref name="ldp"/> are unused.
    /// A row-major op(B) (not transposed) multiplied by at most <see cref="InPlaceMaxRowTiles"/>
    /// row tiles is not packed either: its whole NR-column panels are read where they stand
    /// (row stride ldb), and only a last, partial panel is packed (zero-padded).</summary>
    // Fully optimised from the first call: a training run's first steps should not pay for
    // tier-0 code in loops that run millions of times per call.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked<T, TKernel>(T* c, nint ldc, T* a, nint lda, bool transposeA,
                                            T* b, nint ldb, bool transposeB, int m, int n, int k, T alpha, T beta,
                                            T* prepacked, int col0, int ldp)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        (int kcMax, int mcMax, int ncMax) = BlockSizes<T, TKernel>();
        (nint aBytes, nint bBytes, nint total) = ScratchBytes<T, TKernel>(m, prepacked == null ? n : 0, k);
        byte* scratch = GemmScratch.Get(total);
        T* packedA = (T*)scratch, packedB = (T*)(scratch + aBytes), tile = (T*)(scratch + aBytes + bBytes);
        bool inPlace = prepacked == null && ReadsBInPlace(transposeB, (m + mr - 1) / mr);

        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                // Only the first K block sees the caller's beta; later ones add to what it wrote.
                T betaBlock = pc == 0 ? beta : T.One;
                // Panel q of this block starts at panels + q * panelStep, rows ldbRow apart; a
                // partial last panel, when B is read in place, is the packed one at edgePanel.
                T* panels, edgePanel = null;
                nint ldbRow = nr, panelStep = (nint)nr * kc;
                if (prepacked != null)
                {
                    // Column col0 + jc starts a whole panel, (kc x NR), of K block pc.
                    panels = prepacked + (nint)pc * ldp + (nint)(col0 + jc) * kc;
                }
                else if (inPlace)
                {
                    panels = b + pc * ldb + jc;
                    (ldbRow, panelStep) = (ldb, nr);
                    int whole = nc / nr * nr;
                    if (whole < nc)
                    {
                        GemmPacking.PackB(packedB, panels + whole, ldb, false, kc, nc - whole, nr);
                        edgePanel = packedB;
                    }
                }
                else
                {
                    T* bBlock = transposeB ? b + jc * ldb + pc : b + pc * ldb + jc;
                    GemmPacking.PackB(packedB, bBlock, ldb, transposeB, kc, nc, nr);
                    panels = packedB;
                }
                for (int ic = 0; ic < m; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m - ic);
                    T* aBlock = transposeA ? a + pc * lda + ic : a + ic * lda + pc;
                    GemmPacking.PackA(packedA, aBlock, lda, transposeA, mc, kc, mr);
                    Macro<T, TKernel>(c + ic * ldc + jc, ldc, packedA, panels, ldbRow, panelStep, edgePanel, tile, mc, nc, kc, alpha, betaBlock);
                }
            }
        }
    }

    /// <summary>C block (mc x nc) = alpha * packedA * B block + beta * C block, B's panel q at
    /// <paramref name="panels"/> + q * <paramref name="panelStep"/> with rows <paramref name="ldbRow"/>
    /// apart, or at <paramref name="edgePanel"/> (packed) for a partial last panel when that is given.
    /// The ir loop is innermost so one B micro-panel stays close while the A micro-panels stream from L2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Macro<T, TKernel>(T* c, nint ldc, T* packedA, T* panels, nint ldbRow, nint panelStep, T* edgePanel,
                                          T* tile, int mc, int nc, int kc, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKernel : struct, IGemmKernel<T>
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            bool edge = cols < nr && edgePanel != null;
            T* bPanel = edge ? edgePanel : panels + jr / nr * panelStep;
            nint ldb = edge ? nr : ldbRow;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                T* aPanel = packedA + (nint)ir * kc;
                T* cTile = c + ir * ldc + jr;
                if (rows == mr && cols == nr)
                {
                    TKernel.Run(kc, aPanel, bPanel, ldb, cTile, ldc, alpha, beta);
                }
                else
                {
                    // The padded panels make the kernel compute a whole tile; only its valid
                    // corner may reach C, whose neighbours belong to the caller.
                    TKernel.Run(kc, aPanel, bPanel, ldb, tile, nr, T.One, T.Zero);
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
    /// <summary>No packing for a few rows, else the widest natively accelerated packed kernel
    /// whose tile pads C least (<see cref="Gemm.BestPacked{T}"/>).</summary>
    Auto,
    /// <summary>Dot products / row updates straight from A and B, no packing (<see cref="GemmSmall"/>).</summary>
    Small,
    /// <summary>Packed panels, 12 x 2-vector Vector512 micro-kernel.</summary>
    Vector512,
    /// <summary>Packed panels, 8 x 3-vector Vector512 micro-kernel (for row counts 8 divides better than 12).</summary>
    Vector512Wide,
    /// <summary>Packed panels, 6 x 2-vector Vector256 micro-kernel.</summary>
    Vector256,
    /// <summary>Packed panels, 4 x 4 scalar micro-kernel.</summary>
    Scalar,
}
