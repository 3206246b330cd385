using System.Numerics;
using SimdRnn.Memory;

namespace SimdRnn.Models;

/// <summary>One named parameter: its public shape and whether it is stored transposed.</summary>
/// <param name="Name">PyTorch's name, e.g. <c>weight_ih_l0</c>.</param>
/// <param name="Rows">Rows of the public shape.</param>
/// <param name="Cols">Columns of the public shape (1-row tensors are vectors).</param>
/// <param name="StoredTransposed">Kept as (Cols, Rows) inside: a weight applied to one-hot
/// inputs, whose column per token becomes one contiguous row.</param>
internal readonly record struct ParameterSpec(string Name, int Rows, int Cols, bool StoredTransposed = false);

/// <summary>
/// The parameters of a model (or their gradients, or an optimizer's state) in one 64-byte-aligned
/// block, split into named views with padded rows. Accessors use the public (PyTorch) shapes;
/// <see cref="Flat"/> is the whole block for one-pass updates, its padding kept zero.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class ParameterSet<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly AlignedBuffer<T> _block;
    private readonly ParameterSpec[] _specs;
    private readonly MatrixLayout[] _layouts;
    private readonly Dictionary<string, int> _index = [];

    internal ParameterSet(IReadOnlyList<ParameterSpec> specs)
    {
        _specs = [.. specs];
        _layouts = new MatrixLayout[_specs.Length];
        int at = 0;
        for (int p = 0; p < _specs.Length; p++)
        {
            var s = _specs[p];
            _layouts[p] = s.StoredTransposed ? MatrixLayout.Padded<T>(at, s.Cols, s.Rows) : MatrixLayout.Padded<T>(at, s.Rows, s.Cols);
            at = checked(at + _layouts[p].Extent);
            _index.Add(s.Name, p);
        }
        _block = new AlignedBuffer<T>(at);
        Names = [.. _specs.Select(s => s.Name)];
    }

    /// <summary>The parameters' names, in storage order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>How many values the parameters hold (padding excluded).</summary>
    public long Count => _specs.Sum(s => (long)s.Rows * s.Cols);

    /// <summary>The public shape of <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No parameter has that name.</exception>
    public (int Rows, int Cols) Shape(string name)
    {
        var s = _specs[Index(name)];
        return (s.Rows, s.Cols);
    }

    /// <summary>Element (row, col) of a parameter in its public shape.</summary>
    public T this[string name, int row, int col]
    {
        get => ElementRef(Index(name), row, col);
        set => ElementRef(Index(name), row, col) = value;
    }

    /// <summary>Copies a parameter, row-major in its public shape, to <paramref name="destination"/>.</summary>
    public void CopyTo(string name, Span<T> destination)
    {
        int p = CheckDense(name, destination.Length, nameof(destination));
        var s = _specs[p];
        for (int i = 0; i < s.Rows; i++)
            for (int j = 0; j < s.Cols; j++)
                destination[i * s.Cols + j] = ElementRef(p, i, j);
    }

    /// <summary>Sets a parameter from <paramref name="source"/>, row-major in its public shape.</summary>
    public void CopyFrom(string name, ReadOnlySpan<T> source)
    {
        int p = CheckDense(name, source.Length, nameof(source));
        var s = _specs[p];
        for (int i = 0; i < s.Rows; i++)
            for (int j = 0; j < s.Cols; j++)
                ElementRef(p, i, j) = source[i * s.Cols + j];
    }

    /// <summary>Copies every value of <paramref name="other"/>, a set of the same layout.</summary>
    public void CopyFrom(ParameterSet<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!other._specs.SequenceEqual(_specs))
            throw new ArgumentException("The parameter sets have different names or shapes.", nameof(other));
        other.Flat.CopyTo(Flat);
    }

    /// <summary>The whole block, padding included (kept zero): what optimizers and clipping update in one pass.</summary>
    public Span<T> Flat => _block.Span;

    /// <summary>Sets every value to zero.</summary>
    public void Clear() => Flat.Clear();

    /// <summary>Frees the block.</summary>
    public void Dispose() => _block.Dispose();

    /// <summary>A parameter as stored (transposed ones as (Cols, Rows)).</summary>
    internal MatrixSpan<T> View(string name) => _layouts[Index(name)].Of(Flat);

    /// <summary>Where a parameter starts in <see cref="Flat"/>.</summary>
    internal int Offset(string name) => _layouts[Index(name)].Offset;

    /// <summary>A vector parameter (a bias) as a span.</summary>
    internal Span<T> Vector(string name) => View(name).Row(0);

    private int Index(string name)
    {
        ObjectDisposedException.ThrowIf(_block.IsDisposed, this);
        return _index.TryGetValue(name, out int p) ? p : throw new KeyNotFoundException($"No parameter is named '{name}'; the names are {string.Join(", ", Names)}.");
    }

    private ref T ElementRef(int p, int row, int col)
    {
        var s = _specs[p];
        if ((uint)row >= (uint)s.Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"{s.Name} has {s.Rows} rows.");
        if ((uint)col >= (uint)s.Cols) throw new ArgumentOutOfRangeException(nameof(col), col, $"{s.Name} has {s.Cols} columns.");
        var view = _layouts[p].Of(Flat);
        return ref s.StoredTransposed ? ref view[col, row] : ref view[row, col];
    }

    private int CheckDense(string name, int length, string argument)
    {
        int p = Index(name);
        var s = _specs[p];
        if (length != s.Rows * s.Cols)
            throw new ArgumentException($"{s.Name} is {s.Rows} x {s.Cols} = {s.Rows * s.Cols} values; the span has {length}.", argument);
        return p;
    }
}
