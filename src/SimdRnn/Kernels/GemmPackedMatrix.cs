// op(B) is (K, N): B is stored (K, N), or (N, K) when transposed. Packed: for each K block
// (pc = 0, KC, 2 KC, ...; kc = min(KC, K - pc)) the ceil(N / NR) column panels of op(B)(pc.., 0..N),
// each (kc x NR) p-major, zero-padded to NR columns; block pc starts at element pc * roundup(N, NR).
using System.Numerics;
using SimdRnn.Memory;

namespace SimdRnn.Kernels;

/// <summary>op(B) packed once into the column panels the GEMM's blocked loop reads, so that
/// <see cref="Gemm.Multiply{T}(MatrixSpan{T}, ReadOnlyMatrixSpan{T}, bool, PackedMatrix{T}, T, T, SimdRnn.Threading.ThreadTeam)"/>
/// can reuse them for many products with the same B (W_hh at every step of the recurrence).</summary>
/// <remarks>
/// The panels are those <see cref="GemmPacking.PackB{T}"/> writes for each (jc, pc) block of the
/// unpacked call, laid side by side for the whole of N: a panel depends only on its NR columns and
/// its K block, not on which NC block or thread chunk it falls in (chunks start on whole panels),
/// so the packed call reads exactly the values the unpacked one packs and runs the same kernel over
/// the same tiles in the same reduction order: the results are bit-identical, for any team.
/// The layout depends on the kernel (NR, KC), which is fixed at <see cref="Pack(ReadOnlyMatrixSpan{T}, bool, int)"/>.
/// The packed product always runs the packed engine: the unpacked call's path for a few rows
/// (<see cref="GemmSmall"/>, M &lt;= <see cref="GemmSmall.MaxRows"/>) reads B in place and has no
/// panels to reuse, so callers with that few rows should keep calling the plain overload on B
/// (as <see cref="Cells.RecurrentLayer"/> does); with a packed B they get the packed kernel's result.
/// The buffer only grows: repacking a B of the same or smaller size (new weights after an
/// optimizer step) allocates nothing.
/// </remarks>
internal sealed unsafe class PackedMatrix<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private AlignedBuffer<T> _buffer = new(0);

    /// <summary>K, the rows of op(B).</summary>
    public int Rows { get; private set; }

    /// <summary>N, the columns of op(B).</summary>
    public int Cols { get; private set; }

    /// <summary>The packed kernel the panels are laid out for; <see cref="GemmPath.Small"/> until packed.</summary>
    public GemmPath Path { get; private set; } = GemmPath.Small;

    /// <summary>True once <see cref="Pack(ReadOnlyMatrixSpan{T}, bool, int)"/> has run.</summary>
    public bool IsPacked => Path != GemmPath.Small;

    /// <summary>The first packed element.</summary>
    internal T* Pointer => _buffer.Pointer;

    /// <summary>N rounded up to whole panels: the elements per row of p in a K block.</summary>
    internal int PaddedCols { get; private set; }

    /// <summary>Packs op(B) for the native kernel that the unpacked call would take for products
    /// of <paramref name="rows"/> rows (<see cref="Gemm.BestPacked{T}"/>), replacing what was packed
    /// before. Any number of rows can then use it; the hint only picks the tile.</summary>
    /// <exception cref="ObjectDisposedException">This matrix has been disposed.</exception>
    public void Pack(ReadOnlyMatrixSpan<T> b, bool transposeB, int rows)
    {
        int n = transposeB ? b.Rows : b.Cols;
        Pack(b, transposeB, Gemm.BestPacked<T>(rows, n));
    }

    /// <summary>Packs op(B) for the kernel of <paramref name="path"/>, one of the packed paths.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is Small or Auto, which name no panel layout.</exception>
    internal void Pack(ReadOnlyMatrixSpan<T> b, bool transposeB, GemmPath path)
    {
        if (path is GemmPath.Small or GemmPath.Auto)
            throw new ArgumentException($"The {path} path names no panel layout.", nameof(path));
        int k = transposeB ? b.Cols : b.Rows, n = transposeB ? b.Rows : b.Cols;
        ObjectDisposedException.ThrowIf(_buffer.IsDisposed, this);
        (int length, int paddedCols) = Gemm.PackedSize<T>(path, k, n);
        if (_buffer.Length < length)
        {
            // Grows by at least half again, so slowly rising sizes do not reallocate every time.
            var grown = new AlignedBuffer<T>(Math.Max(length, _buffer.Length + _buffer.Length / 2));
            _buffer.Dispose();
            _buffer = grown;
        }
        // Invalidate first: if packing threw half-way, a stale shape must not pass for the new one.
        Path = GemmPath.Small;
        Gemm.PackWhole(_buffer.Pointer, b, transposeB, path);
        (Rows, Cols, PaddedCols, Path) = (k, n, paddedCols, path);
    }

    /// <summary>Frees the panels. Safe to call more than once.</summary>
    public void Dispose()
    {
        Path = GemmPath.Small;
        _buffer.Dispose();
    }
}
