using System.Numerics;
using SimdRnn.Memory;

namespace SimdRnn.Models;

/// <summary>
/// U, V and W of the seed's model (or their gradients) in one 64-byte-aligned block, split into
/// named views. The public accessors use the seed's shapes: U (H, C), V (C, H), W (H, H).
/// Inside, U is kept transposed as a (C, H) table, because U x_t for a one-hot x_t is column
/// x_t of U, which the table holds as one contiguous row; V and W are adjacent, so one pass
/// updates both.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class RnnParameters<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly AlignedBuffer<T> _block;
    internal readonly MatrixLayout UTable, VLayout, WLayout;

    internal RnnParameters(int vocabularySize, int hiddenSize)
    {
        VocabularySize = vocabularySize;
        HiddenSize = hiddenSize;
        UTable = MatrixLayout.Padded<T>(0, vocabularySize, hiddenSize);
        VLayout = MatrixLayout.Padded<T>(UTable.Offset + UTable.Extent, vocabularySize, hiddenSize);
        WLayout = MatrixLayout.Padded<T>(VLayout.Offset + VLayout.Extent, hiddenSize, hiddenSize);
        _block = new AlignedBuffer<T>(checked(WLayout.Offset + WLayout.Extent));
    }

    /// <summary>C, the vocabulary size.</summary>
    public int VocabularySize { get; }

    /// <summary>H, the hidden size.</summary>
    public int HiddenSize { get; }

    /// <summary>The seed's shape of a parameter: U (H, C), V (C, H), W (H, H).</summary>
    public (int Rows, int Cols) Shape(RnnParameter parameter) => parameter switch
    {
        RnnParameter.U => (HiddenSize, VocabularySize),
        RnnParameter.V => (VocabularySize, HiddenSize),
        RnnParameter.W => (HiddenSize, HiddenSize),
        _ => throw new ArgumentOutOfRangeException(nameof(parameter), parameter, "Not a parameter of the model."),
    };

    /// <summary>Element (row, col) of a parameter in its seed shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">row or col is outside the shape.</exception>
    public T this[RnnParameter parameter, int row, int col]
    {
        get => ElementRef(parameter, row, col);
        set => ElementRef(parameter, row, col) = value;
    }

    /// <summary>Copies a parameter, row-major in its seed shape, to <paramref name="destination"/> (Rows * Cols long).</summary>
    public void CopyTo(RnnParameter parameter, Span<T> destination)
    {
        var (rows, cols) = CheckDense(parameter, destination.Length, nameof(destination));
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                destination[i * cols + j] = ElementRef(parameter, i, j);
    }

    /// <summary>Sets a parameter from <paramref name="source"/>, row-major in its seed shape (Rows * Cols long).</summary>
    public void CopyFrom(RnnParameter parameter, ReadOnlySpan<T> source)
    {
        var (rows, cols) = CheckDense(parameter, source.Length, nameof(source));
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                ElementRef(parameter, i, j) = source[i * cols + j];
    }

    /// <summary>Copies every parameter of <paramref name="other"/>, a model of the same sizes.</summary>
    public void CopyFrom(RnnParameters<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.VocabularySize != VocabularySize || other.HiddenSize != HiddenSize)
            throw new ArgumentException($"Sizes differ: C {other.VocabularySize} vs {VocabularySize}, H {other.HiddenSize} vs {HiddenSize}.", nameof(other));
        other.Block.CopyTo(Block);
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Block.Clear();

    /// <summary>The whole block, padding included (padding is kept zero).</summary>
    internal Span<T> Block => _block.Span;

    /// <summary>The (C, H) table whose row c is column c of U.</summary>
    internal MatrixSpan<T> U => UTable.Of(Block);

    internal MatrixSpan<T> V => VLayout.Of(Block);

    internal MatrixSpan<T> W => WLayout.Of(Block);

    /// <summary>V and W together, padding included: the part every SGD step updates densely.</summary>
    internal Span<T> VAndW => Block[VLayout.Offset..];

    /// <summary>Frees the block.</summary>
    public void Dispose() => _block.Dispose();

    private ref T ElementRef(RnnParameter parameter, int row, int col)
    {
        var (rows, cols) = Shape(parameter);
        if ((uint)row >= (uint)rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"{parameter} has {rows} rows.");
        if ((uint)col >= (uint)cols) throw new ArgumentOutOfRangeException(nameof(col), col, $"{parameter} has {cols} columns.");
        if (parameter == RnnParameter.U) return ref U[col, row];
        if (parameter == RnnParameter.V) return ref V[row, col];
        return ref W[row, col];
    }

    private (int Rows, int Cols) CheckDense(RnnParameter parameter, int length, string argument)
    {
        ObjectDisposedException.ThrowIf(_block.IsDisposed, this);
        var shape = Shape(parameter);
        if (length != shape.Rows * shape.Cols)
            throw new ArgumentException($"{parameter} is {shape.Rows} x {shape.Cols} = {shape.Rows * shape.Cols} elements; the span has {length}.", argument);
        return shape;
    }
}
