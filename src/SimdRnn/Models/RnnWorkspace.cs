using System.Numerics;
using SimdRnn.Kernels;
using SimdRnn.Memory;

namespace SimdRnn.Models;

/// <summary>
/// The scratch of the seed's model for sequences of up to <see cref="Capacity"/> steps, in one
/// aligned block. It grows (once) when a longer sequence arrives and is reused otherwise, so a
/// training step in steady state allocates nothing.
/// </summary>
internal sealed class RnnWorkspace<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _vocabularySize, _hiddenSize;
    private AlignedBuffer<T> _block = new(0);
    private MatrixLayout _s, _o, _dS, _delta, _inFlight, _pushed, _state, _logits;

    public RnnWorkspace(int vocabularySize, int hiddenSize)
    {
        _vocabularySize = vocabularySize;
        _hiddenSize = hiddenSize;
        TouchedRows = [];
    }

    /// <summary>The longest sequence the current block holds.</summary>
    public int Capacity { get; private set; } = -1;

    /// <summary>(T+1, H): row 0 is s_{-1} = 0, row t+1 is s_t.</summary>
    public MatrixSpan<T> S(int steps) => _s.Of(_block.Span).Slice(0, steps + 1);

    /// <summary>(T, C): logits, then probabilities, then dE/dlogits.</summary>
    public MatrixSpan<T> O(int steps) => _o.Of(_block.Span).Slice(0, steps);

    /// <summary>(T, H): V^T do_t, the error reaching s_t from the output layer.</summary>
    public MatrixSpan<T> DS(int steps) => _dS.Of(_block.Span).Slice(0, steps);

    /// <summary>(T, H): the error at each step's pre-activation (Δ of the cell's backward).</summary>
    public MatrixSpan<T> Delta(int steps) => _delta.Of(_block.Span).Slice(0, steps);

    /// <summary>The truncated backward's block of errors in flight, and its product with W.</summary>
    public MatrixSpan<T> InFlight => _inFlight.Of(_block.Span);

    /// <summary>Scratch of the same shape as <see cref="InFlight"/>.</summary>
    public MatrixSpan<T> Pushed => _pushed.Of(_block.Span);

    /// <summary>W packed into GEMM panels once per truncated backward sweep.</summary>
    public PackedMatrix<T> PackedW { get; } = new();

    /// <summary>(2, H): the hidden state of step-by-step generation, current and next.</summary>
    public MatrixSpan<T> State => _state.Of(_block.Span);

    /// <summary>(1, C): the output of step-by-step generation.</summary>
    public Span<T> Logits => _logits.Of(_block.Span).Row(0);

    /// <summary>Rows of the dU table written by the last backward pass, to clear before the next.</summary>
    public int[] TouchedRows { get; private set; }

    /// <summary>How many entries of <see cref="TouchedRows"/> are valid.</summary>
    public int TouchedCount { get; set; }

    /// <summary>Makes room for <paramref name="steps"/> steps. Allocates only when the sequence is
    /// longer than any seen before, and then at least doubles, so growth is rare.</summary>
    public void Reserve(int steps)
    {
        if (steps <= Capacity) return;
        int capacity = Math.Max(steps, 2 * Capacity);
        int c = _vocabularySize, h = _hiddenSize, at = 0;
        MatrixLayout Next(int rows, int cols)
        {
            var layout = MatrixLayout.Padded<T>(at, rows, cols);
            at = checked(at + layout.Extent);
            return layout;
        }
        _s = Next(capacity + 1, h);
        _o = Next(capacity, c);
        _dS = Next(capacity, h);
        _delta = Next(capacity, h);
        // The truncated backward carries at most min(K+1, T) rows, and K+1 > T runs the full path.
        _inFlight = Next(capacity, h);
        _pushed = Next(capacity, h);
        _state = Next(2, h);
        _logits = Next(1, c);
        var old = _block;
        _block = new AlignedBuffer<T>(at);
        old.Dispose();
        var touched = new int[capacity];
        TouchedRows.AsSpan(0, TouchedCount).CopyTo(touched);
        TouchedRows = touched;
        Capacity = capacity;
    }

    public void Dispose()
    {
        _block.Dispose();
        PackedW.Dispose();
    }
}
