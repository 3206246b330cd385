using System.Numerics;
using SimdRnn.Memory;

namespace SimdRnn.Models;

/// <summary>
/// U, V and W of the seed's model (or their gradients): a <see cref="ParameterSet{T}"/> with the
/// seed's names and shapes, U (H, C), V (C, H), W (H, H). Inside, U is kept transposed as a (C, H)
/// table, because U x_t for a one-hot x_t is column x_t of U, which the table holds as one
/// contiguous row.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class RnnParameters<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterSet<T> _set;

    internal RnnParameters(int vocabularySize, int hiddenSize)
    {
        VocabularySize = vocabularySize;
        HiddenSize = hiddenSize;
        _set = new ParameterSet<T>([
            new("U", hiddenSize, vocabularySize, StoredTransposed: true),
            new("V", vocabularySize, hiddenSize),
            new("W", hiddenSize, hiddenSize),
        ]);
    }

    /// <summary>C, the vocabulary size.</summary>
    public int VocabularySize { get; }

    /// <summary>H, the hidden size.</summary>
    public int HiddenSize { get; }

    /// <summary>The seed's shape of a parameter: U (H, C), V (C, H), W (H, H).</summary>
    public (int Rows, int Cols) Shape(RnnParameter parameter) => _set.Shape(Name(parameter));

    /// <summary>Element (row, col) of a parameter in its seed shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">row or col is outside the shape.</exception>
    public T this[RnnParameter parameter, int row, int col]
    {
        get => _set[Name(parameter), row, col];
        set => _set[Name(parameter), row, col] = value;
    }

    /// <summary>Copies a parameter, row-major in its seed shape, to <paramref name="destination"/> (Rows * Cols long).</summary>
    public void CopyTo(RnnParameter parameter, Span<T> destination) => _set.CopyTo(Name(parameter), destination);

    /// <summary>Sets a parameter from <paramref name="source"/>, row-major in its seed shape (Rows * Cols long).</summary>
    public void CopyFrom(RnnParameter parameter, ReadOnlySpan<T> source) => _set.CopyFrom(Name(parameter), source);

    /// <summary>Copies every parameter of <paramref name="other"/>, a model of the same sizes.</summary>
    public void CopyFrom(RnnParameters<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _set.CopyFrom(other._set);
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => _set.Clear();

    /// <summary>The (C, H) table whose row c is column c of U.</summary>
    internal MatrixSpan<T> U => _set.View("U");

    internal MatrixSpan<T> V => _set.View("V");

    internal MatrixSpan<T> W => _set.View("W");

    /// <summary>W as one span, padding included (zero in weights and gradients alike).</summary>
    internal Span<T> WFlat => _set.Flat[_set.Offset("W")..];

    /// <summary>Frees the block.</summary>
    public void Dispose() => _set.Dispose();

    private static string Name(RnnParameter parameter) => parameter switch
    {
        RnnParameter.U => "U",
        RnnParameter.V => "V",
        RnnParameter.W => "W",
        _ => throw new ArgumentOutOfRangeException(nameof(parameter), parameter, "Not a parameter of the model."),
    };
}
