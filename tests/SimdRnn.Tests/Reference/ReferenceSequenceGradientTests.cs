using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Reference;
using Xunit;
using Xunit.Sdk;

namespace SimdRnn.Tests.Reference;

/// <summary>
/// The reference sequence model checked against itself: every entry of every gradient it returns
/// (all layers' weights and biases, the embedding, the head, the dense input, H0 and C0) equals
/// the five-point stencil of its loss, (8(E(θ+h) − E(θ−h)) − (E(θ+2h) − E(θ−2h))) / 12h with
/// h = 1e-3, to a relative error |a − n| / max(|a| + |n|, 1e-5) below 1e-6. One property per
/// cell and head; the input kind, sizes, lengths and initial states are generated.
/// </summary>
[Properties(Arbitrary = new[] { typeof(SequenceGenerators) }, MaxTest = 40)]
public class ReferenceSequenceGradientTests
{
    private const double Step = 1e-3;
    private const double Threshold = 1e-6;

    [Property] public void Gradients_MatchStencil_RnnTanh_LanguageModel(SequenceCase c) => Check(ReferenceCell.RnnTanh, ReferenceHead.LanguageModel, c);
    [Property] public void Gradients_MatchStencil_RnnTanh_Classification(SequenceCase c) => Check(ReferenceCell.RnnTanh, ReferenceHead.Classification, c);
    [Property] public void Gradients_MatchStencil_RnnTanh_Regression(SequenceCase c) => Check(ReferenceCell.RnnTanh, ReferenceHead.Regression, c);
    [Property] public void Gradients_MatchStencil_RnnRelu_LanguageModel(SequenceCase c) => Check(ReferenceCell.RnnRelu, ReferenceHead.LanguageModel, c);
    [Property] public void Gradients_MatchStencil_RnnRelu_Classification(SequenceCase c) => Check(ReferenceCell.RnnRelu, ReferenceHead.Classification, c);
    [Property] public void Gradients_MatchStencil_RnnRelu_Regression(SequenceCase c) => Check(ReferenceCell.RnnRelu, ReferenceHead.Regression, c);
    [Property] public void Gradients_MatchStencil_Gru_LanguageModel(SequenceCase c) => Check(ReferenceCell.Gru, ReferenceHead.LanguageModel, c);
    [Property] public void Gradients_MatchStencil_Gru_Classification(SequenceCase c) => Check(ReferenceCell.Gru, ReferenceHead.Classification, c);
    [Property] public void Gradients_MatchStencil_Gru_Regression(SequenceCase c) => Check(ReferenceCell.Gru, ReferenceHead.Regression, c);
    [Property] public void Gradients_MatchStencil_Lstm_LanguageModel(SequenceCase c) => Check(ReferenceCell.Lstm, ReferenceHead.LanguageModel, c);
    [Property] public void Gradients_MatchStencil_Lstm_Classification(SequenceCase c) => Check(ReferenceCell.Lstm, ReferenceHead.Classification, c);
    [Property] public void Gradients_MatchStencil_Lstm_Regression(SequenceCase c) => Check(ReferenceCell.Lstm, ReferenceHead.Regression, c);

    private static void Check(ReferenceCell cell, ReferenceHead head, SequenceCase c)
    {
        var random = new Random(c.Seed);
        var model = SequenceData.RandomModel(cell, head, c, random);
        var batch = SequenceData.RandomBatch(model, c, random);
        var result = model.Run(batch);
        AssertShapes(model, batch, result);
        Assert.Equal(result.Loss, model.Loss(batch));

        // A null initial state means zeros: the same run with explicit zeros gives the same
        // result, and lets the stencil perturb H0 and C0.
        bool lstm = cell == ReferenceCell.Lstm;
        if (batch.H0 == null || (lstm && batch.C0 == null))
        {
            int states = model.NumLayers * batch.B * model.HiddenSize;
            var zeros = Copy(batch);
            zeros.H0 ??= new double[states];
            if (lstm) zeros.C0 ??= new double[states];
            var again = model.Run(zeros);
            Assert.Equal(result.Loss, again.Loss);
            Assert.Equal(result.DH0, again.DH0);
            Assert.Equal(result.DC0, again.DC0);
            batch = zeros;
        }

        var entries = new List<(string Name, double[] Theta, double[]? Gradient)>();
        var parameters = SequenceData.Parameters(model);
        var gradients = SequenceData.ParameterGradients(result);
        Assert.Equal(parameters.Count, gradients.Count);
        for (int p = 0; p < parameters.Count; p++)
            entries.Add((parameters[p].Name, parameters[p].Values, gradients[p]));
        if (batch.Dense != null) entries.Add(("Dense", batch.Dense, result.DDense));
        entries.Add(("H0", batch.H0!, result.DH0));
        if (lstm) entries.Add(("C0", batch.C0!, result.DC0));

        // relu is not differentiable at 0. Where a stencil spans a kink, the estimate is not a
        // derivative, so the entry is skipped; the analytic gradient plays no part in that
        // decision. A kink strictly inside [θ − 2h, θ + 2h] makes the stencils with h and h/2
        // disagree; a kink at θ itself (a pre-activation exactly 0, e.g. no bias, zero state and
        // a dead layer below: relu'(0) = 0 by convention) makes the one-sided slopes disagree.
        // Smooth cells skip nothing.
        double loss = result.Loss;
        int total = 0, kinks = 0, extrapolated = 0;
        foreach (var (name, theta, gradient) in entries)
        {
            Assert.True(gradient != null && gradient.Length == theta.Length, $"{name}: gradient missing or of the wrong length");
            for (int i = 0; i < theta.Length; i++)
            {
                total++;
                double analytic = gradient![i];
                var (numerical, forward, backward) = Stencil(model, batch, theta, i, Step, loss);
                double? half = null;
                if (cell == ReferenceCell.RnnRelu)
                {
                    var halved = Stencil(model, batch, theta, i, Step / 2, loss);
                    half = halved.Central;
                    if (RelativeError(forward, backward) > 1e-3 || RelativeError(numerical, half.Value) > Threshold
                        || SlopeJumpPersists(forward - backward, halved.Forward - halved.Backward))
                    {
                        kinks++;
                        continue;
                    }
                }
                double error = RelativeError(analytic, numerical);
                if (error < Threshold)
                    continue;

                // The stencil's own error is h⁴ f⁽⁵⁾ / 30. For a tiny gradient whose higher
                // derivatives are not tiny (a layer-0 bias seen through a few tanh layers) that can
                // exceed the 1e-11 the criterion allows at its floor. Then the h⁴ term is cancelled
                // by Richardson extrapolation with the stencil at h/2, and the analytic gradient
                // must match that sixth-order estimate under the same criterion.
                half ??= Stencil(model, batch, theta, i, Step / 2, loss).Central;
                double refined = (16 * half.Value - numerical) / 15;
                double refinedError = RelativeError(analytic, refined);
                if (!(refinedError < Threshold) && cell == ReferenceCell.RnnRelu
                    && RelativeError(analytic, Stencil(model, batch, theta, i, Step / 100, loss).Central) < 1e-4)
                {
                    // A kink just outside what the two stencils above can tell apart: a step 100x
                    // smaller no longer reaches it (as the model tests do for relu).
                    kinks++;
                    continue;
                }
                if (!(refinedError < Threshold))
                    throw new XunitException($"{cell} {c.Input} {head}: {name}[{i}] analytic {analytic:R}, numerical {numerical:R} "
                                             + $"(relative error {error:E2}), extrapolated {refined:R} (relative error {refinedError:E2})");
                extrapolated++;
            }
        }
        if (cell != ReferenceCell.RnnRelu)
            Assert.Equal(0, kinks);
        // Extrapolation rescues a rare entry, never a whole array.
        Assert.True(extrapolated <= Math.Max(2, total / 20), $"{extrapolated} of {total} entries needed the extrapolated stencil");
    }

    /// <summary>
    /// Central: (8(E(θ+h) − E(θ−h)) − (E(θ+2h) − E(θ−2h))) / 12h, the differences taken first, so an
    /// entry the loss does not depend on gives exactly 0. Forward and Backward: the one-sided
    /// second-order slopes (−3E(θ) + 4E(θ+h) − E(θ+2h)) / 2h and (3E(θ) − 4E(θ−h) + E(θ−2h)) / 2h.
    /// </summary>
    private static (double Central, double Forward, double Backward) Stencil(ReferenceSequenceModel model, ReferenceBatch batch,
                                                                              double[] theta, int i, double h, double loss)
    {
        double saved = theta[i];
        theta[i] = saved + h; double plus1 = model.Loss(batch);
        theta[i] = saved - h; double minus1 = model.Loss(batch);
        theta[i] = saved + 2 * h; double plus2 = model.Loss(batch);
        theta[i] = saved - 2 * h; double minus2 = model.Loss(batch);
        theta[i] = saved;
        double central = (8 * (plus1 - minus1) - (plus2 - minus2)) / (12 * h);
        double forward = (4 * (plus1 - loss) - (plus2 - loss)) / (2 * h);
        double backward = (4 * (loss - minus1) - (loss - minus2)) / (2 * h);
        return (central, forward, backward);
    }

    /// <summary>True when the gap between the one-sided slopes does not shrink with h: for a
    /// smooth loss forward − backward = O(h²) (these one-sided slopes are second order), while a
    /// kink at θ keeps the jump of the slope whatever h. This catches kinks whose slopes are too
    /// small for the relative test (a unit of slope 1e-8 switched off on one side); gaps below
    /// 1e-9 are roundoff.</summary>
    private static bool SlopeJumpPersists(double gap, double halvedGap)
        => Math.Abs(gap) > 1e-9 && Math.Abs(halvedGap) > 0.75 * Math.Abs(gap);

    private static double RelativeError(double a, double n) => Math.Abs(a - n) / Math.Max(Math.Abs(a) + Math.Abs(n), 1e-5);

    /// <summary>The result has the contract's arrays, shapes and zeros at padded steps.</summary>
    private static void AssertShapes(ReferenceSequenceModel model, ReferenceBatch batch, ReferenceResult result)
    {
        int T = batch.T, B = batch.B, H = model.HiddenSize, L = model.NumLayers;
        bool lstm = model.Cell == ReferenceCell.Lstm;
        Assert.Equal(T * B * H, result.Outputs.Length);
        Assert.Equal(L * B * H, result.FinalH.Length);
        Assert.Equal(L * B * H, result.DH0.Length);
        Assert.Equal(lstm, result.FinalC != null);
        Assert.Equal(lstm, result.DC0 != null);
        Assert.Equal(model.Input == ReferenceInput.Embedding, result.DEmbedding != null);
        Assert.Equal(model.Input == ReferenceInput.Dense, result.DDense != null);
        Assert.Equal(model.Bias, result.DHeadBias != null);
        Assert.Equal(L, result.Layers.Length);
        for (int t = 0; t < T; t++)
            for (int b = 0; b < B; b++)
            {
                bool padded = t >= batch.Lengths[b];
                for (int j = 0; j < H; j++)
                {
                    double output = result.Outputs[(t * B + b) * H + j];
                    if (padded) Assert.Equal(0.0, output);
                    // The last valid output is the last layer's final state.
                    if (t == batch.Lengths[b] - 1) Assert.Equal(result.FinalH[((L - 1) * B + b) * H + j], output);
                }
                if (padded && result.DDense != null)
                    for (int i = 0; i < model.InputSize; i++)
                        Assert.Equal(0.0, result.DDense[(t * B + b) * model.InputSize + i]);
            }
    }

    private static ReferenceBatch Copy(ReferenceBatch b) => new()
    {
        T = b.T, B = b.B, Dense = b.Dense, Tokens = b.Tokens, Lengths = b.Lengths, H0 = b.H0, C0 = b.C0,
        TokenTargets = b.TokenTargets, ClassTargets = b.ClassTargets, ValueTargets = b.ValueTargets,
    };
}
