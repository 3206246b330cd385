using System.Numerics;
using System.Numerics.Tensors;
using SimdRnn.Cells;
using SimdRnn.Kernels;
using SimdRnn.Memory;
using SimdRnn.Threading;

namespace SimdRnn.Models;

// Backpropagation through time: the head, each layer from the top, the weight gradients; and the gradient-flow probe.
public sealed partial class SequenceModel<T>
{
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
}
