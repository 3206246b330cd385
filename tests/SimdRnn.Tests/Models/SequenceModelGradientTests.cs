using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Cells;
using SimdRnn.Diagnostics;
using SimdRnn.Models;
using SimdRnn.Tests.Support;
using Xunit;

namespace SimdRnn.Tests.Models;

/// <summary>Double-precision gradient checks of the batched engine: every parameter of every cell,
/// input and head (the GRU's b_hn and the LSTM's cell path included), and the gradients of the
/// initial states and of the dense input.</summary>
public class SequenceModelGradientTests
{
    public static Arbitrary<SequenceCase> Cases() => SequenceCase.Gen(maxT: 5, maxB: 3, maxI: 4, maxH: 4, maxO: 3).ToArbitrary();

    private static void RandomizeWeights(SequenceModel<double> model, Random random)
    {
        // Weights up to ±0.8: gates away from saturation, so the derivatives are not all tiny.
        foreach (string name in model.Parameters.Names)
        {
            var (rows, cols) = model.Parameters.Shape(name);
            model.Parameters.CopyFrom(name, Data.Uniform<double>(random, rows * cols, 0.8));
        }
    }

    [Property(Arbitrary = new[] { typeof(SequenceModelGradientTests) }, MaxTest = 60)]
    public void GradientCheck_EveryParameter_Below1e6(SequenceCase c)
    {
        var random = new Random(c.Seed);
        using var model = new SequenceModel<double>(c.Options);
        RandomizeWeights(model, random);
        var data = SequenceData<double>.Random(c, random);

        var result = GradientCheck.Run(model, data.Batch<double>(c));
        if (c.Cell == CellKind.RnnRelu && !result.Passed(1e-6))
        {
            // relu has a kink at 0: a probe 2h away from a pre-activation near 0 crosses it and the
            // difference quotient is wrong there, not the gradient. A step 100x smaller rarely crosses.
            result = GradientCheck.Run(model, data.Batch<double>(c), new GradientCheckOptions { StepSize = 1e-5 });
            Assert.True(result.Passed(1e-4), c + "\n" + string.Join("\n", result.Parameters));
            return;
        }

        Assert.True(result.Passed(1e-6), c + "\n" + string.Join("\n", result.Parameters));
    }

    [Property(Arbitrary = new[] { typeof(SequenceModelGradientTests) }, MaxTest = 40)]
    public void InitialStateAndInputGradients_MatchDifferenceQuotients(SequenceCase c)
    {
        var random = new Random(c.Seed);
        using var model = new SequenceModel<double>(c.Options);
        RandomizeWeights(model, random);
        var data = SequenceData<double>.Random(c, random);
        // A zero h0 into a relu layer whose input is a dead (zero) relu puts the pre-activation
        // exactly on the kink, where no difference quotient is right: relu cases start elsewhere.
        if (data.H0.Length == 0)
            data.H0 = c.Cell == CellKind.RnnRelu ? Data.Uniform<double>(random, c.Layers * c.B * c.H, 0.5) : new double[c.Layers * c.B * c.H];
        if (c.Cell == CellKind.Lstm && data.C0.Length == 0) data.C0 = new double[c.Layers * c.B * c.H];
        var batch = data.Batch<double>(c);
        model.ForwardBackward(batch);
        var dh0 = new double[data.H0.Length];
        var dc0 = new double[data.H0.Length];
        model.CopyInitialStateGradient(dh0, c.Cell == CellKind.Lstm ? dc0 : default);
        var dx = new double[data.Dense.Length];
        if (c.Input == InputKind.Dense) model.CopyInputGradient(dx);

        // The five-point quotient with h = 1e-3 is accurate to about h^4 wherever the loss is
        // smooth within 2h (for a relu network, unless a kink lies that close: under squared error
        // it is then exact up to roundoff, the loss being piecewise quadratic). A relu entry that
        // fails is tried again with h = 1e-5, which rarely reaches a kink but carries 100x more
        // roundoff, hence its looser bound. A wrong gradient fails both.
        void Check(double[] values, double[] analytic, string what)
        {
            for (int k = 0; k < values.Length; k++)
            {
                double error = RelativeError(values, k, analytic[k], 1e-3, out double numeric);
                bool passed = error < 1e-6
                              || (c.Cell == CellKind.RnnRelu && RelativeError(values, k, analytic[k], 1e-5, out numeric) < 1e-4);
                Assert.True(passed, $"{c}\n{what}[{k}]: analytic {analytic[k]}, numeric {numeric}");
            }
        }

        double RelativeError(double[] values, int k, double analytic, double h, out double numeric)
        {
            double original = values[k];
            double Loss(double v)
            {
                values[k] = v;
                return model.Loss(batch);
            }
            double m2 = Loss(original - 2 * h), m1 = Loss(original - h), p1 = Loss(original + h), p2 = Loss(original + 2 * h);
            values[k] = original;
            numeric = (8 * (p1 - m1) - (p2 - m2)) / (12 * h);
            return Math.Abs(analytic - numeric) / Math.Max(Math.Abs(analytic) + Math.Abs(numeric), 1e-5);
        }

        Check(data.H0, dh0, "dh0");
        if (c.Cell == CellKind.Lstm) Check(data.C0, dc0, "dc0");
        if (c.Input == InputKind.Dense) Check(data.Dense, dx, "dx");
    }
}
