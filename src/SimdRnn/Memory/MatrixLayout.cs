using System.Runtime.CompilerServices;

namespace SimdRnn.Memory;

/// <summary>
/// Where a row-major matrix lives inside a larger block: its offset, its shape and its row
/// stride. Strides are padded so that every row starts on a 64-byte boundary when the block
/// does, which lets the kernels load whole vectors without a tail; the padding stays zero.
/// </summary>
/// <param name="Offset">Index of element (0, 0) in the block.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="Cols">Number of columns.</param>
/// <param name="Stride">Distance in elements between the starts of two rows.</param>
public readonly record struct MatrixLayout(int Offset, int Rows, int Cols, int Stride)
{
    /// <summary>Elements the layout spans from <see cref="Offset"/>: <c>Rows * Stride</c>.</summary>
    public int Extent => Rows * Stride;

    /// <summary>The row stride for <paramref name="cols"/> columns of <typeparamref name="T"/>,
    /// rounded up to a whole number of 64-byte lines.</summary>
    public static int PaddedStride<T>(int cols) where T : unmanaged
    {
        int perLine = AlignedBuffer<T>.Alignment / Unsafe.SizeOf<T>();
        return (cols + perLine - 1) / perLine * perLine;
    }

    /// <summary>A padded layout of <paramref name="rows"/> x <paramref name="cols"/> at <paramref name="offset"/>.</summary>
    public static MatrixLayout Padded<T>(int offset, int rows, int cols) where T : unmanaged
        => new(offset, rows, cols, PaddedStride<T>(cols));

    /// <summary>The matrix this layout describes inside <paramref name="block"/>.</summary>
    public MatrixSpan<T> Of<T>(Span<T> block) => new(block.Slice(Offset, Extent), Rows, Cols, Stride);
}
