using System.Numerics;
using SimdRnn.Cells;
using SimdRnn.Kernels;
using SimdRnn.Memory;

namespace SimdRnn.Models;

/// <summary>
/// The scratch of a <see cref="SequenceModel{T}"/> in one aligned block, sized for batches of up to
/// <see cref="RowCapacity"/> rows (T·B) and <see cref="BatchCapacity"/> sequences. It grows (at
/// least doubling) when a larger batch arrives and is reused otherwise, so a training step in
/// steady state allocates nothing.
/// </summary>
internal sealed class SequenceWorkspace<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SequenceModelOptions _o;
    private AlignedBuffer<T> _block = new(0);
    private MatrixLayout[] _ih = [], _states = [], _cells = [], _saved = [], _dIH = [], _dHH = [], _mask = [], _dropped = [];
    private MatrixLayout _embedded, _hh, _dh, _dc, _dhPrev, _direct, _dOutA, _dOutB, _logits, _dFinal;

    // W_hh of one layer packed for the per-step GEMM; the layers take turns with it, each
    // repacking its own weights at the start of its forward and backward sweep.
    private readonly PackedMatrix<T> _packedHh = new();

    public SequenceWorkspace(SequenceModelOptions options) => _o = options;

    public int RowCapacity { get; private set; }

    public int BatchCapacity { get; private set; }

    public void Reserve(int steps, int batch)
    {
        int rows = checked(steps * batch);
        if (rows > RowCapacity || batch > BatchCapacity) Grow(rows, batch);
    }

    // Apart from Reserve because its lambdas' closure is allocated on entry to the method that
    // declares them, which would cost every step an allocation.
    private void Grow(int rows, int batch)
    {
        int rowCap = Math.Max(rows, 2 * RowCapacity), batchCap = Math.Max(batch, BatchCapacity);
        int layers = _o.Layers, h = _o.HiddenSize, gh = _o.Cell.Gates() * h, saved = RecurrentLayer.SavedBlocks(_o.Cell) * h;
        int widest = Math.Max(h, _o.FirstLayerInput), at = 0;
        MatrixLayout Next(int r, int c)
        {
            var layout = MatrixLayout.Padded<T>(at, r, c);
            at = checked(at + layout.Extent);
            return layout;
        }
        MatrixLayout[] PerLayer(Func<int, (int Rows, int Cols)> shape)
            => [.. Enumerable.Range(0, layers).Select(l => shape(l)).Select(s => Next(s.Rows, s.Cols))];

        bool lstm = _o.Cell == CellKind.Lstm, gru = _o.Cell == CellKind.Gru;
        _ih = PerLayer(_ => (rowCap, gh));
        _states = PerLayer(_ => (rowCap + batchCap, h));
        _cells = PerLayer(_ => lstm ? (rowCap + batchCap, h) : (0, 0));
        _saved = PerLayer(_ => (rowCap, saved));
        _dIH = PerLayer(_ => (rowCap, gh));
        _dHH = PerLayer(_ => gru ? (rowCap, gh) : (0, 0));
        _mask = PerLayer(l => l > 0 && _o.Dropout > 0 ? (rowCap, h) : (0, 0));
        _dropped = PerLayer(l => l > 0 && _o.Dropout > 0 ? (rowCap, h) : (0, 0));
        _embedded = Next(_o.Input == InputKind.Embedding ? rowCap : 0, Math.Max(1, _o.EmbeddingSize));
        _hh = Next(batchCap, gh);
        _dh = Next(batchCap, h);
        _dc = Next(batchCap, h);
        _dhPrev = Next(batchCap, h);
        _direct = Next(batchCap, h);
        _dOutA = Next(rowCap, widest);
        _dOutB = Next(rowCap, widest);
        _logits = Next(_o.Head == HeadKind.LanguageModel ? rowCap : batchCap, _o.OutputSize);
        _dFinal = Next(batchCap, h);

        var old = _block;
        _block = new AlignedBuffer<T>(at);
        old.Dispose();
        RowCapacity = rowCap;
        BatchCapacity = batchCap;
    }

    private Span<T> Block => _block.Span;

    /// <summary>Layer <paramref name="l"/>'s buffers for a batch of <paramref name="steps"/> x <paramref name="batch"/>.</summary>
    public LayerBuffers<T> Layer(int l, int steps, int batch)
    {
        int rows = steps * batch;
        var dIH = _dIH[l].Of(Block).Slice(0, rows);
        return new LayerBuffers<T>(
            _ih[l].Of(Block).Slice(0, rows),
            _states[l].Of(Block).Slice(0, rows + batch),
            _o.Cell == CellKind.Lstm ? _cells[l].Of(Block).Slice(0, rows + batch) : default,
            _saved[l].Of(Block).Slice(0, rows),
            dIH,
            _o.Cell == CellKind.Gru ? _dHH[l].Of(Block).Slice(0, rows) : dIH);
    }

    /// <summary>Dropout scale factors (0 or 1/(1-p)) on layer <paramref name="l"/>'s input, (T·B, H).</summary>
    public MatrixSpan<T> Mask(int l, int rows) => _mask[l].Of(Block).Slice(0, rows);

    /// <summary>Layer <paramref name="l"/>'s input after dropout, (T·B, H).</summary>
    public MatrixSpan<T> Dropped(int l, int rows) => _dropped[l].Of(Block).Slice(0, rows);

    /// <summary>The embedded tokens, (T·B, E).</summary>
    public MatrixSpan<T> Embedded(int rows) => _embedded.Of(Block).Slice(0, rows);

    public StepScratch<T> Step(int batch) => new(
        _hh.Of(Block).Slice(0, batch), _dh.Of(Block).Slice(0, batch), _dc.Of(Block).Slice(0, batch),
        _dhPrev.Of(Block).Slice(0, batch), _direct.Of(Block).Slice(0, batch), _packedHh);

    /// <summary>Two (T·B, max(H, In)) buffers for dE/d(layer output), used in turn down the stack.</summary>
    public MatrixSpan<T> Gradient(int which, int rows, int cols)
    {
        var m = (which == 0 ? _dOutA : _dOutB).Of(Block);
        return new MatrixSpan<T>(m.Data, rows, cols, m.Stride);
    }

    /// <summary>The head's logits (or values), then their gradient: (T·B, O) or (B, O).</summary>
    public MatrixSpan<T> Logits(int rows) => _logits.Of(Block).Slice(0, rows);

    /// <summary>dE/d(final h of the top layer), (B, H).</summary>
    public MatrixSpan<T> DFinal(int batch) => _dFinal.Of(Block).Slice(0, batch);

    public void Dispose()
    {
        _block.Dispose();
        _packedHh.Dispose();
    }
}
