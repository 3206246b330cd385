using System.Numerics;
using System.Numerics.Tensors;
using SimdRnn.Cells;
using SimdRnn.Kernels;
using SimdRnn.Memory;
using SimdRnn.Threading;

namespace SimdRnn.Models;

/// <summary>
/// A stack of recurrent layers (Elman tanh/relu, GRU or LSTM, PyTorch's equations and weight
/// layout) over mini-batches of sequences, with a token or dense input and a per-step or
/// final-step head. Parameters are named as in PyTorch: <c>weight_ih_l{k}</c>, <c>weight_hh_l{k}</c>,
/// <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c>, plus <c>embedding.weight</c>, <c>head.weight</c>,
/// <c>head.bias</c>, so weights interchange with <c>torch.nn.RNN/GRU/LSTM</c> + <c>nn.Linear</c>.
/// The model owns native memory: dispose it. Not thread-safe.
/// </summary>
/// <typeparam name="T">float (the fast path) or double.</typeparam>
public sealed partial class SequenceModel<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SequenceModelOptions _o;
    private readonly SequenceWorkspace<T> _workspace;
    private readonly Random _dropoutRandom;
    private readonly LayerNames[] _names;
    private readonly ThreadTeam _team;
    private int[] _lengths = [];
    private T[] _initialStateGradient = [], _initialCellGradient = [];
    private int _lastSteps, _lastBatch;
    private bool _lastTraining, _disposed, _masksDrawn;

    /// <summary>For tests: keep the dropout masks of the first training forward, so that the loss
    /// of a training forward is one fixed function whose gradient can be checked.</summary>
    internal bool ReuseDropoutMasks { get; set; }

    /// <summary>
    /// A model with PyTorch's default initialisation from <c>options.Seed</c>: every cell weight and
    /// bias and the head ~ Uniform(±1/√H); the embedding ~ Normal(0, 1).
    /// </summary>
    public SequenceModel(SequenceModelOptions options)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"SimdRnn models run in float or double, not {typeof(T).Name}.");
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _o = options;
        _names = [.. Enumerable.Range(0, options.Layers).Select(LayerNames.For)];
        var specs = Specs(options);
        Parameters = new ParameterSet<T>(specs);
        Gradients = new ParameterSet<T>(specs);
        _workspace = new SequenceWorkspace<T>(options);
        // The GEMMs split over the team; every element is still reduced in one fixed order, so
        // results do not depend on the thread count.
        _team = options.Threads == 1 ? ThreadTeam.Single : new ThreadTeam(options.Threads);
        _dropoutRandom = new Random(unchecked(options.Seed * 7919 + 1));
        Initialise(specs, new Random(options.Seed));
    }

    /// <summary>The shape of the model.</summary>
    public SequenceModelOptions Options => _o;

    /// <summary>The weights, by PyTorch name.</summary>
    public ParameterSet<T> Parameters { get; }

    /// <summary>dE/dθ of the last <see cref="ForwardBackward"/>, by the same names.</summary>
    public ParameterSet<T> Gradients { get; }

    /// <summary>
    /// Forward, loss and full backpropagation through time on one batch, in training mode
    /// (dropout on). Overwrites <see cref="Gradients"/> with dE/dθ and returns E (a sum over the
    /// loss terms, see <see cref="HeadKind"/>).
    /// </summary>
    public double ForwardBackward(SequenceBatch<T> batch)
    {
        Validate(batch);
        double loss = Forward(batch, training: true);
        Backward(batch);
        return loss;
    }

    /// <summary>E on one batch in inference mode (no dropout), without gradients.</summary>
    public double Loss(SequenceBatch<T> batch)
    {
        Validate(batch);
        return Forward(batch, training: false);
    }

    /// <summary>
    /// One step of B sequences with token input, in inference mode, for generation: advances each
    /// layer's state in <paramref name="h"/> (and <paramref name="c"/> for the LSTM), (L, B, H), by
    /// the tokens (B), and writes the head's output for the new state to <paramref name="output"/>
    /// (B, O): logits for the softmax heads, values for regression. Allocates nothing.
    /// </summary>
    public void Step(ReadOnlySpan<int> tokens, Span<T> h, Span<T> c, Span<T> output)
    {
        ThrowIfDisposed();
        if (_o.Input == InputKind.Dense) throw new InvalidOperationException("This model reads dense input: pass a dense row per sequence.");
        CheckIds(tokens, tokens.Length, _o.InputSize, nameof(tokens));
        StepCore(new LayerInputs(tokens, default), tokens.Length, h, c, output);
    }

    /// <summary>As <see cref="Step(ReadOnlySpan{int}, Span{T}, Span{T}, Span{T})"/>, for dense input: <paramref name="dense"/> is (B, I).</summary>
    public void Step(ReadOnlySpan<T> dense, Span<T> h, Span<T> c, Span<T> output)
    {
        ThrowIfDisposed();
        if (_o.Input != InputKind.Dense) throw new InvalidOperationException("This model reads tokens: pass a token per sequence.");
        if (dense.Length == 0 || dense.Length % _o.InputSize != 0)
            throw new ArgumentException($"dense has length {dense.Length}; it must be B x {_o.InputSize} for some B >= 1.", nameof(dense));
        StepCore(new LayerInputs(default, dense), dense.Length / _o.InputSize, h, c, output);
    }

    private void StepCore(LayerInputs input, int b, Span<T> h, Span<T> c, Span<T> output)
    {
        int hidden = _o.HiddenSize, state = _o.Layers * b * hidden;
        if (b < 1) throw new ArgumentException("There must be at least one sequence.", nameof(input));
        CheckLength(h.Length, state, nameof(h));
        bool lstm = _o.Cell == CellKind.Lstm;
        if (lstm) CheckLength(c.Length, state, nameof(c));
        CheckLength(output.Length, b * _o.OutputSize, nameof(output));
        SetLengths(b);
        _lengths.AsSpan(0, b).Fill(1);
        RunLayers(input, h, lstm ? c : default, 1, b, training: false);
        for (int l = 0; l < _o.Layers; l++)
        {
            var buf = _workspace.Layer(l, 1, b);
            for (int s = 0; s < b; s++)
            {
                buf.States.Row(b + s).CopyTo(h.Slice((l * b + s) * hidden, hidden));
                if (lstm) buf.Cells.Row(b + s).CopyTo(c.Slice((l * b + s) * hidden, hidden));
            }
        }
        var top = _workspace.Layer(_o.Layers - 1, 1, b).States.Slice(b, b);
        var result = new MatrixSpan<T>(output, b, _o.OutputSize);
        Gemm.Multiply(result, top, false, Parameters.View(HeadWeightName), true, T.One, T.Zero, _team);
        if (_o.Bias)
            for (int s = 0; s < b; s++) TensorPrimitives.Add(result.Row(s), Parameters.Vector(HeadBiasName), result.Row(s));
    }

    /// <summary>The final state of every layer after the last call, (L, B, H) each; c only for the LSTM
    /// (pass an empty span otherwise). Chunked truncated BPTT passes them as the next batch's initial state.</summary>
    public void CopyFinalState(Span<T> h, Span<T> c)
    {
        ThrowIfDisposed();
        int b = _lastBatch, hidden = _o.HiddenSize;
        CheckLength(h.Length, _o.Layers * b * hidden, nameof(h));
        bool lstm = _o.Cell == CellKind.Lstm;
        if (lstm) CheckLength(c.Length, _o.Layers * b * hidden, nameof(c));
        for (int l = 0; l < _o.Layers; l++)
        {
            var buf = _workspace.Layer(l, _lastSteps, b);
            for (int s = 0; s < b; s++)
            {
                buf.States.Row(_lastSteps * b + s).CopyTo(h.Slice((l * b + s) * hidden, hidden));
                if (lstm) buf.Cells.Row(_lastSteps * b + s).CopyTo(c.Slice((l * b + s) * hidden, hidden));
            }
        }
    }

    /// <summary>The top layer's h_t after the last call, (T, B, H), zero at padded steps.</summary>
    public void CopyOutputs(Span<T> outputs)
    {
        ThrowIfDisposed();
        int steps = _lastSteps, b = _lastBatch, hidden = _o.HiddenSize;
        CheckLength(outputs.Length, steps * b * hidden, nameof(outputs));
        var states = _workspace.Layer(_o.Layers - 1, steps, b).States;
        for (int t = 0; t < steps; t++)
            for (int s = 0; s < b; s++)
            {
                var dst = outputs.Slice((t * b + s) * hidden, hidden);
                if (t < _lengths[s]) states.Row((t + 1) * b + s).CopyTo(dst);
                else dst.Clear();
            }
    }

    /// <summary>dE/dh_{-1} (and dE/dc_{-1} for the LSTM) of every layer after the last
    /// <see cref="ForwardBackward"/>, (L, B, H).</summary>
    public void CopyInitialStateGradient(Span<T> dh0, Span<T> dc0)
    {
        ThrowIfDisposed();
        int size = _o.Layers * _lastBatch * _o.HiddenSize;
        CheckLength(dh0.Length, size, nameof(dh0));
        if (_o.Cell == CellKind.Lstm) CheckLength(dc0.Length, size, nameof(dc0));
        _initialStateGradient.AsSpan(0, size).CopyTo(dh0);
        if (_o.Cell == CellKind.Lstm) _initialCellGradient.AsSpan(0, size).CopyTo(dc0);
    }

    /// <summary>dE/dx for dense input after the last <see cref="ForwardBackward"/>, (T, B, I).</summary>
    public void CopyInputGradient(Span<T> dInput)
    {
        ThrowIfDisposed();
        if (_o.Input != InputKind.Dense) throw new InvalidOperationException("Only a dense input has a gradient.");
        int rows = _lastSteps * _lastBatch, width = _o.InputSize;
        CheckLength(dInput.Length, rows * width, nameof(dInput));
        var g = _workspace.Gradient(_o.Layers % 2, rows, width);
        for (int r = 0; r < rows; r++) g.Row(r).CopyTo(dInput.Slice(r * width, width));
    }

    /// <summary>Frees the native memory.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Parameters.Dispose();
        Gradients.Dispose();
        _workspace.Dispose();
        if (_team != ThreadTeam.Single) _team.Dispose();
    }
}
