using System.Runtime.CompilerServices;

namespace SimdRnn.Memory;

/// <summary>
/// A row-major matrix view over a span: element (i, j) is <c>Data[i * Stride + j]</c>.
/// The view owns nothing; it is the (data, rows, cols, stride) quadruple of DESIGN.md §2.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly ref struct MatrixSpan<T>
{
    /// <summary>The elements, from (0, 0) to at least (Rows-1, Cols-1).</summary>
    public readonly Span<T> Data;
    /// <summary>Number of rows.</summary>
    public readonly int Rows;
    /// <summary>Number of columns.</summary>
    public readonly int Cols;
    /// <summary>Distance in elements between the starts of two rows.</summary>
    public readonly int Stride;

    /// <summary>Views <paramref name="data"/> as a <paramref name="rows"/> x <paramref name="cols"/> matrix.</summary>
    /// <exception cref="ArgumentException">The shape is negative, the stride is below the column
    /// count, or the span is too short for the shape.</exception>
    public MatrixSpan(Span<T> data, int rows, int cols, int stride)
    {
        MatrixShape.Validate(data.Length, rows, cols, stride);
        Data = data;
        Rows = rows;
        Cols = cols;
        Stride = stride;
    }

    /// <summary>Views a dense span (stride = cols).</summary>
    public MatrixSpan(Span<T> data, int rows, int cols) : this(data, rows, cols, cols) { }

    /// <summary>Row <paramref name="i"/>, <see cref="Cols"/> elements long.</summary>
    public Span<T> Row(int i) => Data.Slice(i * Stride, Cols);

    /// <summary>Element (i, j).</summary>
    public ref T this[int i, int j] => ref Data[i * Stride + j];

    /// <summary>Sets the Rows x Cols elements to zero (and nothing past the last row).</summary>
    public void Clear()
    {
        for (int i = 0; i < Rows; i++) Row(i).Clear();
    }

    /// <summary>Rows [start, start + count) as a matrix with the same stride.</summary>
    public MatrixSpan<T> Slice(int start, int count)
        => new(count == 0 ? Span<T>.Empty : Data[(start * Stride)..], count, Cols, Stride);

    /// <summary>The same view, read-only.</summary>
    public ReadOnlyMatrixSpan<T> AsReadOnly() => new(Data, Rows, Cols, Stride);

    /// <summary>Implicit read-only view.</summary>
    public static implicit operator ReadOnlyMatrixSpan<T>(MatrixSpan<T> m) => m.AsReadOnly();
}

/// <summary>A read-only row-major matrix view: element (i, j) is <c>Data[i * Stride + j]</c>.</summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly ref struct ReadOnlyMatrixSpan<T>
{
    /// <summary>The elements, from (0, 0) to at least (Rows-1, Cols-1).</summary>
    public readonly ReadOnlySpan<T> Data;
    /// <summary>Number of rows.</summary>
    public readonly int Rows;
    /// <summary>Number of columns.</summary>
    public readonly int Cols;
    /// <summary>Distance in elements between the starts of two rows.</summary>
    public readonly int Stride;

    /// <summary>Views <paramref name="data"/> as a <paramref name="rows"/> x <paramref name="cols"/> matrix.</summary>
    /// <exception cref="ArgumentException">The shape is negative, the stride is below the column
    /// count, or the span is too short for the shape.</exception>
    public ReadOnlyMatrixSpan(ReadOnlySpan<T> data, int rows, int cols, int stride)
    {
        MatrixShape.Validate(data.Length, rows, cols, stride);
        Data = data;
        Rows = rows;
        Cols = cols;
        Stride = stride;
    }

    /// <summary>Views a dense span (stride = cols).</summary>
    public ReadOnlyMatrixSpan(ReadOnlySpan<T> data, int rows, int cols) : this(data, rows, cols, cols) { }

    /// <summary>Row <paramref name="i"/>, <see cref="Cols"/> elements long.</summary>
    public ReadOnlySpan<T> Row(int i) => Data.Slice(i * Stride, Cols);

    /// <summary>Element (i, j).</summary>
    public T this[int i, int j] => Data[i * Stride + j];

    /// <summary>Rows [start, start + count) as a matrix with the same stride.</summary>
    public ReadOnlyMatrixSpan<T> Slice(int start, int count)
        => new(count == 0 ? ReadOnlySpan<T>.Empty : Data[(start * Stride)..], count, Cols, Stride);
}

/// <summary>The shape rule shared by both matrix views.</summary>
internal static class MatrixShape
{
    /// <summary>Elements a (rows, cols, stride) matrix touches: (rows - 1) * stride + cols, or 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Span(int rows, int cols, int stride) => rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * stride + cols;

    public static void Validate(int length, int rows, int cols, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if (stride < cols)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"The stride must be at least the column count {cols}.");
        long needed = Span(rows, cols, stride);
        if (length < needed)
            throw new ArgumentException($"A {rows} x {cols} matrix with stride {stride} needs {needed} elements but the span has {length}.", "data");
    }
}
