using System.Numerics;
using System.Numerics.Tensors;
using SimdRnn.Kernels;
using SimdRnn.Memory;
using SimdRnn.Threading;

namespace SimdRnn.Cells;

/// <summary>A layer's weights in PyTorch's layout: W_ih (G·H, In), W_hh (G·H, H), b_ih and b_hh
/// (G·H, empty without bias). For one-hot input, W_ih is held transposed, (C, G·H).</summary>
internal readonly ref struct LayerWeights<T>
{
    public readonly ReadOnlyMatrixSpan<T> WeightIh, WeightHh;
    public readonly ReadOnlySpan<T> BiasIh, BiasHh;

    public LayerWeights(ReadOnlyMatrixSpan<T> weightIh, ReadOnlyMatrixSpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh)
    {
        WeightIh = weightIh;
        WeightHh = weightHh;
        BiasIh = biasIh;
        BiasHh = biasHh;
    }
}

/// <summary>A layer's gradients, the same shapes as <see cref="LayerWeights{T}"/>.</summary>
internal readonly ref struct LayerGradients<T>
{
    public readonly MatrixSpan<T> WeightIh, WeightHh;
    public readonly Span<T> BiasIh, BiasHh;

    public LayerGradients(MatrixSpan<T> weightIh, MatrixSpan<T> weightHh, Span<T> biasIh, Span<T> biasHh)
    {
        WeightIh = weightIh;
        WeightHh = weightHh;
        BiasIh = biasIh;
        BiasHh = biasHh;
    }
}

/// <summary>
/// What one layer keeps over a batch of B sequences and T steps, time-major (row t·B + b):
/// IH (T·B, G·H), the input projections W_ih x_t (+ the biases, see <see cref="RecurrentLayer.Forward{T}"/>); States ((T+1)·B, H), h_{-1} in the first
/// B rows then h_t; Cells, the same for the LSTM's c; Saved (T·B, S·H), the gate activations the
/// backward needs; DIH and DHH (T·B, G·H), the gradients of the two projections (one buffer
/// unless the cell is a GRU, whose r ⊙ (W_hn h + b_hn) makes them differ).
/// </summary>
internal readonly ref struct LayerBuffers<T>
{
    public readonly MatrixSpan<T> IH, States, Cells, Saved, DIH, DHH;

    public LayerBuffers(MatrixSpan<T> ih, MatrixSpan<T> states, MatrixSpan<T> cells, MatrixSpan<T> saved, MatrixSpan<T> dIH, MatrixSpan<T> dHH)
    {
        IH = ih;
        States = states;
        Cells = cells;
        Saved = saved;
        DIH = dIH;
        DHH = dHH;
    }
}

/// <summary>Per-step scratch shared by all layers: HH (B, G·H) and four (B, H) rows blocks, and
/// PackedHh, W_hh packed for the per-step GEMM (W_hh^T in the forward, W_hh in the backward),
/// repacked by each call of <see cref="RecurrentLayer.Forward{T}"/> and <see cref="RecurrentLayer.Backward{T}"/>.</summary>
internal readonly ref struct StepScratch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly MatrixSpan<T> HH, DH, DC, DHPrev, Direct;
    public readonly PackedMatrix<T> PackedHh;

    public StepScratch(MatrixSpan<T> hh, MatrixSpan<T> dh, MatrixSpan<T> dc, MatrixSpan<T> dhPrev, MatrixSpan<T> direct,
                       PackedMatrix<T> packedHh)
    {
        PackedHh = packedHh;
        HH = hh;
        DH = dh;
        DC = dc;
        DHPrev = dhPrev;
        Direct = direct;
    }
}

/// <summary>
/// One recurrent layer over a batch: the recurrence step by step, one GEMM per step for
/// W_hh h_{t-1} over the whole batch; everything else (input projections, weight gradients) is
/// batched over all steps by the caller and <see cref="BackwardWeights"/>.
/// </summary>
internal static class RecurrentLayer
{
    /// <summary>Saved activations per row, in units of H.</summary>
    public static int SavedBlocks(CellKind kind) => kind switch
    {
        CellKind.Gru => GruCell.SavedBlocks,
        CellKind.Lstm => LstmCell.SavedBlocks,
        _ => 0,
    };

    /// <summary>IH += b_ih + b_hh on every row (for the GRU, b_hh without its n block b_hn), with the
    /// summed bias formed in <paramref name="bias"/> (G·H of scratch, free until the first step).</summary>
    private static void AddInputBiases<T>(CellKind kind, LayerWeights<T> w, MatrixSpan<T> ih, Span<T> bias, int hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Add(w.BiasIh, w.BiasHh, bias);
        if (kind == CellKind.Gru)
            w.BiasIh[(2 * hidden)..].CopyTo(bias[(2 * hidden)..]);
        for (int r = 0; r < ih.Rows; r++) TensorPrimitives.Add(ih.Row(r), bias, ih.Row(r));
    }

    /// <summary>
    /// The recurrence, t = 0..T-1. On entry buf.IH holds W_ih x_t (no bias) and the first B rows of
    /// States (and Cells) hold the initial state. A sequence past its length carries its state unchanged.
    /// The biases are added where they cost least: b_ih and b_hh together to IH, once for all steps,
    /// except the GRU's b_hn, which must stay inside r ⊙ (W_hn h + b_hn) and is added to hh per step.
    /// </summary>
    public static void Forward<T>(CellKind kind, LayerWeights<T> w, LayerBuffers<T> buf, StepScratch<T> scratch,
                                  ReadOnlySpan<int> lengths, int steps, int batch, ThreadTeam team)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var hh = scratch.HH;
        int hidden = buf.States.Cols;
        if (!w.BiasIh.IsEmpty && steps * batch > 0)
            AddInputBiases(kind, w, buf.IH.Slice(0, steps * batch), hh.Row(0), hidden);
        // W_hh^T is packed once for all T steps (DESIGN.md §2). A batch of a few rows takes the
        // GEMM's unpacked path, which reads W_hh in place and has nothing to reuse, and a single
        // step (inference) gains nothing from packing ahead. Either way the result is the same bits.
        bool packed = batch > GemmSmall.MaxRows && steps > 1;
        if (packed) scratch.PackedHh.Pack(w.WeightHh, true, batch);
        for (int t = 0; t < steps; t++)
        {
            // hh = h_{t-1} W_hh^T + b_hh for the whole batch: one GEMM.
            var hPrevAll = buf.States.Slice(t * batch, batch);
            if (packed)
                Gemm.Multiply(hh, hPrevAll, false, scratch.PackedHh, T.One, T.Zero, team);
            else
                Gemm.Multiply(hh, hPrevAll, false, w.WeightHh, true, T.One, T.Zero, team);
            if (kind == CellKind.Gru && !w.BiasHh.IsEmpty)
            {
                var bhn = w.BiasHh[(2 * hidden)..];
                for (int b = 0; b < batch; b++) TensorPrimitives.Add(hh.Row(b)[(2 * hidden)..], bhn, hh.Row(b)[(2 * hidden)..]);
            }
            for (int b = 0; b < batch; b++)
            {
                int row = t * batch + b;
                var hPrev = buf.States.Row(row);
                var h = buf.States.Row(row + batch);
                if (t >= lengths[b])
                {
                    hPrev.CopyTo(h);
                    if (kind == CellKind.Lstm) buf.Cells.Row(row).CopyTo(buf.Cells.Row(row + batch));
                    continue;
                }
                var ih = buf.IH.Row(row);
                switch (kind)
                {
                    case CellKind.RnnTanh:
                    case CellKind.RnnRelu:
                        RnnCell.Forward(h, ih, hh.Row(b), kind == CellKind.RnnRelu);
                        break;
                    case CellKind.Gru:
                        GruCell.Forward(h, buf.Saved.Row(row), ih, hh.Row(b), hPrev);
                        break;
                    default:
                        LstmCell.Forward(h, buf.Cells.Row(row + batch), buf.Saved.Row(row), ih, hh.Row(b), buf.Cells.Row(row));
                        break;
                }
            }
        }
    }

    /// <summary>
    /// Backward through time. dOut (T·B, H) is dE/dh_t from above (the head or the next layer);
    /// scratch.DH holds dE/dh_{T-1} from the final state on entry (zero if none) and
    /// scratch.DC zero. Fills buf.DIH and buf.DHH and leaves dE/dh_{-1}, dE/dc_{-1} in DH, DC.
    /// When <paramref name="stateGradients"/> ((T+1)·B, H) is given, it receives dE/dh_t in the
    /// rows of step t+1 and dE/dh_{-1} in the first B rows (what the gradient-flow probe measures).
    /// </summary>
    public static void Backward<T>(CellKind kind, LayerWeights<T> w, LayerBuffers<T> buf, StepScratch<T> scratch,
                                   ReadOnlyMatrixSpan<T> dOut, ReadOnlySpan<int> lengths, int steps, int batch, ThreadTeam team,
                                   MatrixSpan<T> stateGradients = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool record = stateGradients.Rows > 0;
        var dh = scratch.DH;
        var dc = scratch.DC;
        // W_hh packed once for all T steps, as in the forward.
        bool packed = batch > GemmSmall.MaxRows && steps > 1;
        if (packed) scratch.PackedHh.Pack(w.WeightHh, false, batch);
        for (int t = steps - 1; t >= 0; t--)
        {
            for (int b = 0; b < batch; b++)
            {
                int row = t * batch + b;
                var dhb = dh.Row(b);
                TensorPrimitives.Add(dhb, dOut.Row(row), dhb);
                if (record) dhb.CopyTo(stateGradients.Row(row + batch));
                if (t >= lengths[b])
                {
                    // A padded step passed h (and c) through unchanged: so does its gradient.
                    buf.DIH.Row(row).Clear();
                    buf.DHH.Row(row).Clear();
                    continue;
                }
                switch (kind)
                {
                    case CellKind.RnnTanh:
                    case CellKind.RnnRelu:
                        RnnCell.Backward(buf.DIH.Row(row), dhb, buf.States.Row(row + batch), kind == CellKind.RnnRelu);
                        scratch.Direct.Row(b).Clear();
                        break;
                    case CellKind.Gru:
                        GruCell.Backward(buf.DIH.Row(row), buf.DHH.Row(row), scratch.Direct.Row(b), dhb, buf.Saved.Row(row), buf.States.Row(row));
                        break;
                    default:
                        LstmCell.Backward(buf.DIH.Row(row), dc.Row(b), dhb, buf.Saved.Row(row), buf.Cells.Row(row));
                        scratch.Direct.Row(b).Clear();
                        break;
                }
            }
            // dh_{t-1} = dHH_t W_hh + the direct path, for the whole batch: one GEMM.
            var dHHt = buf.DHH.Slice(t * batch, batch);
            if (packed)
                Gemm.Multiply(scratch.DHPrev, dHHt, false, scratch.PackedHh, T.One, T.Zero, team);
            else
                Gemm.Multiply(scratch.DHPrev, dHHt, false, w.WeightHh, false, T.One, T.Zero, team);
            for (int b = 0; b < batch; b++)
            {
                if (t >= lengths[b]) continue;
                TensorPrimitives.Add(scratch.DHPrev.Row(b), scratch.Direct.Row(b), dh.Row(b));
            }
        }
        if (record)
            for (int b = 0; b < batch; b++) dh.Row(b).CopyTo(stateGradients.Row(b));
    }

    /// <summary>
    /// The recurrent weight gradients, once for all steps: dW_hh += dHH^T H_prev as one GEMM over
    /// the T·B rows; db_ih and db_hh are the column sums of dIH and dHH. (dW_ih depends on the
    /// input kind, so the model computes it.)
    /// </summary>
    public static void BackwardWeights<T>(LayerGradients<T> g, LayerBuffers<T> buf, int rows, ThreadTeam team)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dIH = buf.DIH.Slice(0, rows);
        var dHH = buf.DHH.Slice(0, rows);
        Gemm.Multiply(g.WeightHh, dHH, true, buf.States.Slice(0, rows), false, T.One, T.One, team);
        if (g.BiasIh.IsEmpty) return;
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(g.BiasIh, dIH.Row(r), g.BiasIh);
            TensorPrimitives.Add(g.BiasHh, dHH.Row(r), g.BiasHh);
        }
    }
}
