using System.Numerics;
using System.Numerics.Tensors;
using SimdRnn.Cells;
using SimdRnn.Kernels;
using SimdRnn.Memory;
using SimdRnn.Threading;

namespace SimdRnn.Models;

// The forward pass: input projections, the layers' recurrences, the head and its loss.
public sealed partial class SequenceModel<T>
{
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
            // The input projections of all steps at once: IH = X W_ih^T (the layer adds the biases).
            if (l == 0 && _o.Input == InputKind.OneHot)
                OneHot.Gather(buf.IH, w.WeightIh, input.Tokens);
            else
                Gemm.Multiply(buf.IH, PrepareInput(l, input, steps, b, training), false, w.WeightIh, true, T.One, T.Zero, _team);
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
}
