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
public sealed class SequenceModel<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
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

    private double Forward(SequenceBatch<T> batch, bool training)
    {
        int b = batch.BatchSize;
        SetLengths(b);
        for (int s = 0; s < b; s++) _lengths[s] = batch.Length(s);
        RunLayers(new LayerInputs(batch.Tokens.Span, batch.Dense.Span), batch.InitialH.Span, batch.InitialC.Span, batch.Steps, b, training);
        return HeadForward(batch, _lengths.AsSpan(0, b));
    }

    private void SetLengths(int b)
    {
        if (_lengths.Length < b) _lengths = new int[Math.Max(b, 2 * _lengths.Length)];
    }

    /// <summary>The model's input for one call: token ids (T·B) or dense rows (T·B, I).</summary>
    private readonly ref struct LayerInputs(ReadOnlySpan<int> tokens, ReadOnlySpan<T> dense)
    {
        public readonly ReadOnlySpan<int> Tokens = tokens;
        public readonly ReadOnlySpan<T> Dense = dense;
    }

    /// <summary>Every layer's forward over T steps of B sequences (lengths in _lengths), from the
    /// initial states h0, c0 ((L, B, H); empty for zeros).</summary>
    private void RunLayers(LayerInputs input, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, int steps, int b, bool training)
    {
        int rows = steps * b;
        _workspace.Reserve(steps, b);
        ReadOnlySpan<int> lengths = _lengths.AsSpan(0, b);
        _lastSteps = steps;
        _lastBatch = b;
        _lastTraining = training;
        var scratch = _workspace.Step(b);
        for (int l = 0; l < _o.Layers; l++)
        {
            var buf = _workspace.Layer(l, steps, b);
            var w = Weights(l);
            // The input projections of all steps at once: IH = X W_ih^T + b_ih.
            if (l == 0 && _o.Input == InputKind.OneHot)
                OneHot.Gather(buf.IH, w.WeightIh, input.Tokens);
            else
                Gemm.Multiply(buf.IH, PrepareInput(l, input, steps, b, training), false, w.WeightIh, true, T.One, T.Zero, _team);
            if (!w.BiasIh.IsEmpty)
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(buf.IH.Row(r), w.BiasIh, buf.IH.Row(r));
            SetInitialState(buf, h0, c0, l, b);
            RecurrentLayer.Forward(_o.Cell, w, buf, scratch, lengths, steps, b, _team);
        }
    }

    /// <summary>Computes layer l's input X (T·B, In) where it is not there already: the embedded
    /// tokens, or the layer below's h after dropout (training only, with fresh masks).</summary>
    private ReadOnlyMatrixSpan<T> PrepareInput(int l, LayerInputs input, int steps, int b, bool training)
    {
        int rows = steps * b;
        if (l == 0 && _o.Input == InputKind.Embedding)
            OneHot.Gather(_workspace.Embedded(rows), Parameters.View(EmbeddingName), input.Tokens);
        if (l > 0 && training && _o.Dropout > 0)
        {
            bool fresh = !ReuseDropoutMasks || !_masksDrawn;
            _masksDrawn = true;
            var below = _workspace.Layer(l - 1, steps, b).States.Slice(b, rows);
            var mask = _workspace.Mask(l, rows);
            var dropped = _workspace.Dropped(l, rows);
            T keep = T.CreateTruncating(1 / (1 - _o.Dropout));
            for (int r = 0; r < rows; r++)
            {
                var m = mask.Row(r);
                if (fresh)
                    for (int j = 0; j < m.Length; j++) m[j] = _dropoutRandom.NextDouble() < _o.Dropout ? T.Zero : keep;
                TensorPrimitives.Multiply(below.Row(r), m, dropped.Row(r));
            }
        }
        return InputOf(l, input.Dense, steps, b);
    }

    /// <summary>Layer l's input X (T·B, In) as the last forward used it: the dense input, the
    /// embedded tokens, or the layer below's h (after dropout when the forward was training).</summary>
    private ReadOnlyMatrixSpan<T> InputOf(int l, ReadOnlySpan<T> dense, int steps, int b)
    {
        int rows = steps * b;
        if (l == 0)
            return _o.Input == InputKind.Dense
                ? new ReadOnlyMatrixSpan<T>(dense, rows, _o.InputSize)
                : _workspace.Embedded(rows);
        if (_lastTraining && _o.Dropout > 0) return _workspace.Dropped(l, rows);
        return _workspace.Layer(l - 1, steps, b).States.Slice(b, rows);
    }

    private void SetInitialState(LayerBuffers<T> buf, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, int l, int b)
    {
        int hidden = _o.HiddenSize;
        for (int s = 0; s < b; s++)
        {
            if (h0.IsEmpty) buf.States.Row(s).Clear();
            else h0.Slice((l * b + s) * hidden, hidden).CopyTo(buf.States.Row(s));
            if (_o.Cell != CellKind.Lstm) continue;
            if (c0.IsEmpty) buf.Cells.Row(s).Clear();
            else c0.Slice((l * b + s) * hidden, hidden).CopyTo(buf.Cells.Row(s));
        }
    }

    /// <summary>The head's forward and loss; leaves dE/d(logits) in the logits buffer.</summary>
    private double HeadForward(SequenceBatch<T> batch, ReadOnlySpan<int> lengths)
    {
        int steps = batch.Steps, b = batch.BatchSize, rows = steps * b;
        var top = _workspace.Layer(_o.Layers - 1, steps, b).States;
        var headW = Parameters.View(HeadWeightName);
        bool perStep = _o.Head == HeadKind.LanguageModel;
        var input = perStep ? top.Slice(b, rows) : top.Slice(rows, b);
        var logits = _workspace.Logits(input.Rows);
        Gemm.Multiply(logits, input, false, headW, true, T.One, T.Zero, _team);
        if (_o.Bias)
        {
            var bias = Parameters.Vector(HeadBiasName);
            for (int r = 0; r < logits.Rows; r++) TensorPrimitives.Add(logits.Row(r), bias, logits.Row(r));
        }
        double loss = 0;
        switch (_o.Head)
        {
            case HeadKind.LanguageModel:
                var targets = batch.TokenTargets.Span;
                for (int t = 0; t < steps; t++)
                    for (int s = 0; s < b; s++)
                    {
                        var row = logits.Row(t * b + s);
                        if (t < lengths[s]) loss += double.CreateTruncating(SoftmaxCrossEntropy.ForwardBackward(row, targets[t * b + s]));
                        else row.Clear();
                    }
                break;
            case HeadKind.Classification:
                for (int s = 0; s < b; s++)
                    loss += double.CreateTruncating(SoftmaxCrossEntropy.ForwardBackward(logits.Row(s), batch.ClassTargets.Span[s]));
                break;
            default:
                // E = Σ (ŷ − y)^2, so dE/dŷ = 2 (ŷ − y).
                var values = batch.ValueTargets.Span;
                int o = _o.OutputSize;
                for (int s = 0; s < b; s++)
                {
                    var row = logits.Row(s);
                    TensorPrimitives.Subtract(row, values.Slice(s * o, o), row);
                    loss += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(row));
                    TensorPrimitives.Multiply(row, T.CreateTruncating(2), row);
                }
                break;
        }
        return loss;
    }

    private void Backward(SequenceBatch<T> batch)
    {
        int steps = batch.Steps, b = batch.BatchSize, rows = steps * b, hidden = _o.HiddenSize;
        ReadOnlySpan<int> lengths = _lengths.AsSpan(0, b);
        Gradients.Clear();
        var scratch = _workspace.Step(b);
        var top = _workspace.Layer(_o.Layers - 1, steps, b).States;

        // The head: dW_out = dLogits^T input, db_out = Σ dLogits, d(input) = dLogits W_out.
        bool perStep = _o.Head == HeadKind.LanguageModel;
        var input = perStep ? top.Slice(b, rows) : top.Slice(rows, b);
        var dLogits = _workspace.Logits(input.Rows);
        Gemm.Multiply(Gradients.View(HeadWeightName), dLogits, true, input, false, T.One, T.Zero, _team);
        if (_o.Bias)
        {
            var db = Gradients.Vector(HeadBiasName);
            for (int r = 0; r < dLogits.Rows; r++) TensorPrimitives.Add(db, dLogits.Row(r), db);
        }
        var dOut = _workspace.Gradient(0, rows, hidden);
        dOut.Clear();
        scratch.DH.Clear();
        if (perStep)
            Gemm.Multiply(dOut, dLogits, false, Parameters.View(HeadWeightName), false, T.One, T.Zero, _team);
        else
            Gemm.Multiply(scratch.DH, dLogits, false, Parameters.View(HeadWeightName), false, T.One, T.Zero, _team);

        EnsureStateGradientBuffers(b);
        for (int l = _o.Layers - 1; l >= 0; l--)
        {
            var buf = _workspace.Layer(l, steps, b);
            var w = Weights(l);
            if (l != _o.Layers - 1) scratch.DH.Clear();
            scratch.DC.Clear();
            RecurrentLayer.Backward(_o.Cell, w, buf, scratch, dOut, lengths, steps, b, _team);
            SaveInitialStateGradient(scratch, l, b);
            var g = LayerGradients(l);
            RecurrentLayer.BackwardWeights(g, buf, rows, _team);

            // dW_ih and dX for the layer below (or the input).
            bool oneHot = l == 0 && _o.Input == InputKind.OneHot;
            if (oneHot)
            {
                OneHot.ScatterAdd(g.WeightIh, buf.DIH, batch.Tokens.Span);
                continue;
            }
            var x = InputOf(l, batch.Dense.Span, steps, b);
            Gemm.Multiply(g.WeightIh, buf.DIH, true, x, false, T.One, T.One, _team);
            int width = l == 0 ? _o.FirstLayerInput : hidden;
            var dX = _workspace.Gradient((_o.Layers - l) % 2, rows, width);
            Gemm.Multiply(dX, buf.DIH, false, w.WeightIh, false, T.One, T.Zero, _team);
            if (l > 0)
            {
                if (_o.Dropout > 0)
                {
                    var mask = _workspace.Mask(l, rows);
                    for (int r = 0; r < rows; r++) TensorPrimitives.Multiply(dX.Row(r), mask.Row(r), dX.Row(r));
                }
                dOut = dX;
            }
            else if (_o.Input == InputKind.Embedding)
            {
                OneHot.ScatterAdd(Gradients.View(EmbeddingName), dX, batch.Tokens.Span);
            }
        }
    }

    /// <summary>
    /// For the gradient-flow probe: for every loss step t (every step for a language model, the
    /// last for a final-step head), backpropagates E_t alone through the top layer and writes
    /// ‖dE_t/dh_k‖ (over the batch) to norms[t, k + 1] for k = -1..t. Changes no gradient.
    /// </summary>
    internal void ProbeStateGradients(SequenceBatch<T> batch, double[,] norms)
    {
        Validate(batch);
        int steps = batch.Steps, b = batch.BatchSize, rows = steps * b, hidden = _o.HiddenSize;
        Forward(batch, training: false);
        ReadOnlySpan<int> lengths = _lengths.AsSpan(0, b);
        var scratch = _workspace.Step(b);
        int top = _o.Layers - 1;
        var buf = _workspace.Layer(top, steps, b);
        var dLogits = _workspace.Logits(_o.Head == HeadKind.LanguageModel ? rows : b);
        var headW = Parameters.View(HeadWeightName);
        var dOut = _workspace.Gradient(0, rows, hidden);
        using var record = new AlignedBuffer<T>((rows + b) * MatrixLayout.PaddedStride<T>(hidden));
        var states = new MatrixSpan<T>(record.Span, rows + b, hidden, MatrixLayout.PaddedStride<T>(hidden));
        int first = _o.Head == HeadKind.LanguageModel ? 0 : steps - 1;
        for (int t = first; t < steps; t++)
        {
            dOut.Clear();
            scratch.DH.Clear();
            scratch.DC.Clear();
            if (_o.Head == HeadKind.LanguageModel)
                Gemm.Multiply(dOut.Slice(t * b, b), dLogits.Slice(t * b, b), false, headW, false, T.One, T.Zero, _team);
            else
                Gemm.Multiply(scratch.DH, dLogits, false, headW, false, T.One, T.Zero, _team);
            RecurrentLayer.Backward(_o.Cell, Weights(top), buf, scratch, dOut, lengths, t + 1, b, _team, states);
            for (int k = -1; k <= t; k++)
            {
                double sum = 0;
                for (int s = 0; s < b; s++)
                    sum += double.CreateTruncating(TensorPrimitives.SumOfSquares<T>(states.Row((k + 1) * b + s)));
                norms[t, k + 1] = Math.Sqrt(sum);
            }
        }
    }

    private const string EmbeddingName = "embedding.weight", HeadWeightName = "head.weight", HeadBiasName = "head.bias";

    /// <summary>PyTorch's names of layer l's parameters.</summary>
    private readonly record struct LayerNames(string WeightIh, string WeightHh, string BiasIh, string BiasHh)
    {
        public static LayerNames For(int l) => new($"weight_ih_l{l}", $"weight_hh_l{l}", $"bias_ih_l{l}", $"bias_hh_l{l}");
    }

    /// <summary>The parameters in storage order, with PyTorch's names and shapes.</summary>
    private static List<ParameterSpec> Specs(SequenceModelOptions o)
    {
        int gh = o.Cell.Gates() * o.HiddenSize;
        var specs = new List<ParameterSpec>();
        if (o.Input == InputKind.Embedding)
            specs.Add(new(EmbeddingName, o.InputSize, o.EmbeddingSize));
        for (int l = 0; l < o.Layers; l++)
        {
            int input = l == 0 ? o.FirstLayerInput : o.HiddenSize;
            // One-hot input reads a column of W_ih per token: keep it as a (C, G·H) table.
            var names = LayerNames.For(l);
            specs.Add(new(names.WeightIh, gh, input, StoredTransposed: l == 0 && o.Input == InputKind.OneHot));
            specs.Add(new(names.WeightHh, gh, o.HiddenSize));
            if (o.Bias)
            {
                specs.Add(new(names.BiasIh, 1, gh));
                specs.Add(new(names.BiasHh, 1, gh));
            }
        }
        specs.Add(new(HeadWeightName, o.OutputSize, o.HiddenSize));
        if (o.Bias) specs.Add(new(HeadBiasName, 1, o.OutputSize));
        return specs;
    }

    private void Initialise(List<ParameterSpec> specs, Random random)
    {
        double bound = 1 / Math.Sqrt(_o.HiddenSize);
        foreach (var spec in specs)
            for (int i = 0; i < spec.Rows; i++)
                for (int j = 0; j < spec.Cols; j++)
                {
                    double value = spec.Name == EmbeddingName
                        ? Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())
                        : (2 * random.NextDouble() - 1) * bound;
                    Parameters[spec.Name, i, j] = T.CreateTruncating(value);
                }
    }

    private LayerWeights<T> Weights(int l) => new(
        Parameters.View(_names[l].WeightIh), Parameters.View(_names[l].WeightHh),
        _o.Bias ? Parameters.Vector(_names[l].BiasIh) : default, _o.Bias ? Parameters.Vector(_names[l].BiasHh) : default);

    private LayerGradients<T> LayerGradients(int l) => new(
        Gradients.View(_names[l].WeightIh), Gradients.View(_names[l].WeightHh),
        _o.Bias ? Gradients.Vector(_names[l].BiasIh) : default, _o.Bias ? Gradients.Vector(_names[l].BiasHh) : default);

    private void EnsureStateGradientBuffers(int b)
    {
        int size = _o.Layers * b * _o.HiddenSize;
        if (_initialStateGradient.Length < size)
        {
            _initialStateGradient = new T[size];
            _initialCellGradient = new T[size];
        }
    }

    private void SaveInitialStateGradient(StepScratch<T> scratch, int l, int b)
    {
        int hidden = _o.HiddenSize;
        for (int s = 0; s < b; s++)
        {
            scratch.DH.Row(s).CopyTo(_initialStateGradient.AsSpan((l * b + s) * hidden, hidden));
            scratch.DC.Row(s).CopyTo(_initialCellGradient.AsSpan((l * b + s) * hidden, hidden));
        }
    }

    /// <summary>Checks a batch against the model once, before anything runs.</summary>
    private void Validate(SequenceBatch<T> batch)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(batch);
        int steps = batch.Steps, b = batch.BatchSize, rows = steps * b;
        int layersState = _o.Layers * b * _o.HiddenSize;
        if (_o.Input == InputKind.Dense)
            CheckLength(batch.Dense.Length, rows * _o.InputSize, nameof(batch.Dense));
        else
            CheckIds(batch.Tokens.Span, rows, _o.InputSize, nameof(batch.Tokens));
        if (!batch.Lengths.IsEmpty)
        {
            CheckLength(batch.Lengths.Length, b, nameof(batch.Lengths));
            foreach (int length in batch.Lengths.Span)
                if (length < 1 || length > steps)
                    throw new ArgumentOutOfRangeException(nameof(batch.Lengths), length, $"Every length must be in [1, {steps}].");
        }
        if (!batch.InitialH.IsEmpty) CheckLength(batch.InitialH.Length, layersState, nameof(batch.InitialH));
        if (!batch.InitialC.IsEmpty)
        {
            if (_o.Cell != CellKind.Lstm) throw new ArgumentException("Only an LSTM has a cell state.", nameof(batch.InitialC));
            CheckLength(batch.InitialC.Length, layersState, nameof(batch.InitialC));
        }
        switch (_o.Head)
        {
            case HeadKind.LanguageModel:
                CheckIds(batch.TokenTargets.Span, rows, _o.OutputSize, nameof(batch.TokenTargets));
                break;
            case HeadKind.Classification:
                CheckIds(batch.ClassTargets.Span, b, _o.OutputSize, nameof(batch.ClassTargets));
                break;
            default:
                CheckLength(batch.ValueTargets.Length, b * _o.OutputSize, nameof(batch.ValueTargets));
                break;
        }
    }

    private static void CheckIds(ReadOnlySpan<int> ids, int length, int count, string argument)
    {
        CheckLength(ids.Length, length, argument);
        for (int i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)count)
                throw new ArgumentOutOfRangeException(argument, ids[i], $"Entry {i} is {ids[i]}, outside [0, {count}).");
    }

    private static void CheckLength(int length, int needed, string argument)
    {
        if (length != needed)
            throw new ArgumentException($"{argument} has length {length}; it must be {needed}.", argument);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
