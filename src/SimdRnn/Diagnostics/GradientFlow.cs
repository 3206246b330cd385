using System.Numerics;
using SimdRnn.Models;

namespace SimdRnn.Diagnostics;

/// <summary>
/// How the error of each output reaches the earlier hidden states: Norms[t, k + 1] = ‖dE_t/dh_k‖
/// (the top layer's state; the norm is taken over the batch) for k = -1..t, where E_t is the loss
/// term of step t (for a final-step head, only the last step has one) and h_{-1} the initial
/// state. Entries with k &gt; t, or t without a loss term, are NaN.
/// </summary>
/// <param name="Norms">(T, T + 1): row t, column k + 1.</param>
public sealed record GradientFlowResult(double[,] Norms)
{
    /// <summary>T, the steps probed.</summary>
    public int Steps => Norms.GetLength(0);

    /// <summary>The mean of ‖dE_t/dh_k‖ over the pairs at each distance d = t − k (d = 0..T), NaN where none.</summary>
    public double[] MeanByDistance()
    {
        var sum = new double[Steps + 1];
        var count = new int[Steps + 1];
        for (int t = 0; t < Steps; t++)
            for (int k = -1; k <= t; k++)
            {
                double v = Norms[t, k + 1];
                if (double.IsNaN(v)) continue;
                sum[t - k] += v;
                count[t - k]++;
            }
        return [.. sum.Select((s, d) => count[d] == 0 ? double.NaN : s / count[d])];
    }
}

/// <summary>
/// The gradient-flow probe: measures the vanishing and exploding gradients the tutorial
/// describes. dE_t/dh_k is a product of t − k step Jacobians; for a tanh RNN whose W has spectral
/// radius below 1 its norm shrinks geometrically with the distance, while GRU and LSTM keep
/// additive paths open.
/// </summary>
public static class GradientFlow
{
    /// <summary>Probes <paramref name="model"/> on <paramref name="batch"/> (inference mode; the
    /// model's gradients are left as they were).</summary>
    public static GradientFlowResult Probe<T>(SequenceModel<T> model, SequenceBatch<T> batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var norms = new double[batch.Steps, batch.Steps + 1];
        for (int t = 0; t < batch.Steps; t++)
            for (int k = 0; k <= batch.Steps; k++) norms[t, k] = double.NaN;
        model.ProbeStateGradients(batch, norms);
        return new GradientFlowResult(norms);
    }

    /// <summary>Probes the seed's model on one sentence: the same network as a one-layer, bias-free
    /// tanh <see cref="SequenceModel{T}"/> with one-hot input (U = weight_ih_l0, W = weight_hh_l0,
    /// V = head.weight).</summary>
    public static GradientFlowResult Probe<T>(RnnLanguageModel<T> model, ReadOnlySpan<int> x, ReadOnlySpan<int> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        model.ValidateSentence(x, y);
        int c = model.VocabularySize, h = model.HiddenSize;
        using var twin = new SequenceModel<T>(new SequenceModelOptions
        {
            Cell = Cells.CellKind.RnnTanh, Input = InputKind.OneHot, InputSize = c, HiddenSize = h,
            Bias = false, Head = HeadKind.LanguageModel, OutputSize = c,
        });
        var buffer = new T[Math.Max(h * c, h * h)];
        model.Weights.CopyTo(RnnParameter.U, buffer.AsSpan(0, h * c));
        twin.Parameters.CopyFrom("weight_ih_l0", buffer.AsSpan(0, h * c));
        model.Weights.CopyTo(RnnParameter.V, buffer.AsSpan(0, c * h));
        twin.Parameters.CopyFrom("head.weight", buffer.AsSpan(0, c * h));
        model.Weights.CopyTo(RnnParameter.W, buffer.AsSpan(0, h * h));
        twin.Parameters.CopyFrom("weight_hh_l0", buffer.AsSpan(0, h * h));
        var batch = new SequenceBatch<T>(x.Length, 1) { Tokens = x.ToArray(), TokenTargets = y.ToArray() };
        return Probe(twin, batch);
    }
}
