using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Cells;
using SimdRnn.Diagnostics;
using SimdRnn.Models;
using SimdRnn.Tests.Support;
using Xunit;

namespace SimdRnn.Tests.Diagnostics;

public class GradientFlowTests
{
    public static Arbitrary<SequenceCase> Cases() =>
        SequenceCase.Gen(maxT: 5, maxB: 3, maxI: 4, maxH: 4, maxO: 3)
            .Select(c => c with { Head = HeadKind.LanguageModel, Cell = c.Cell == CellKind.RnnRelu ? CellKind.RnnTanh : c.Cell })
            .ToArbitrary();

    [Property(Arbitrary = new[] { typeof(GradientFlowTests) }, MaxTest = 40)]
    public void Probe_AtTheInitialState_MatchesTheDifferenceQuotientOfEachLossTerm(SequenceCase c)
    {
        // E_t = E(first t+1 steps) − E(first t steps), since the network is causal; its gradient with
        // respect to the top layer's h_{-1}, by differences, must have the norm the probe reports.
        var random = new Random(c.Seed);
        using var model = new SequenceModel<double>(c.Options);
        foreach (string name in model.Parameters.Names)
        {
            var (rows, cols) = model.Parameters.Shape(name);
            model.Parameters.CopyFrom(name, Data.Uniform<double>(random, rows * cols, 0.8));
        }
        var data = SequenceData<double>.Random(c, random);
        data.H0 = Data.Uniform<double>(random, c.Layers * c.B * c.H, 0.5);
        var flow = GradientFlow.Probe(model, data.Batch<double>(c));

        int topOffset = (c.Layers - 1) * c.B * c.H;
        for (int t = 0; t < c.T; t++)
        {
            double LossUpTo(int steps) => steps == 0 ? 0 : model.Loss(Prefix(c, data, steps));
            double Et() => LossUpTo(t + 1) - LossUpTo(t);
            double sumOfSquares = 0;
            for (int k = topOffset; k < data.H0.Length; k++)
            {
                double original = data.H0[k], h = 1e-3;
                double At(double v) { data.H0[k] = v; return Et(); }
                double m2 = At(original - 2 * h), m1 = At(original - h), p1 = At(original + h), p2 = At(original + 2 * h);
                data.H0[k] = original;
                double d = (8 * (p1 - m1) - (p2 - m2)) / (12 * h);
                sumOfSquares += d * d;
            }
            double numeric = Math.Sqrt(sumOfSquares), probed = flow.Norms[t, 0];
            Assert.True(Math.Abs(numeric - probed) <= 1e-6 * Math.Max(numeric, 1e-5), $"{c}\nt {t}: probe {probed}, differences {numeric}");
            for (int k = t + 1; k < c.T; k++) Assert.True(double.IsNaN(flow.Norms[t, k + 1]));
        }
    }

    private static SequenceBatch<double> Prefix(SequenceCase c, SequenceData<double> data, int steps)
    {
        int rows = steps * c.B;
        return new SequenceBatch<double>(steps, c.B)
        {
            Dense = data.Dense.Length == 0 ? default : data.Dense.AsMemory(0, rows * c.I),
            Tokens = data.Tokens.Length == 0 ? default : data.Tokens.AsMemory(0, rows),
            Lengths = data.Lengths.Select(l => Math.Min(l, steps)).ToArray(),
            InitialH = data.H0,
            InitialC = data.C0,
            TokenTargets = data.TokenTargets.AsMemory(0, rows),
        };
    }

    private static SequenceModel<double> Recurrent(CellKind cell, double recurrentScale, int seed)
    {
        const int h = 8;
        var model = new SequenceModel<double>(new SequenceModelOptions
        {
            Cell = cell, Input = InputKind.Dense, InputSize = 3, HiddenSize = h, Bias = false,
            Head = HeadKind.LanguageModel, OutputSize = 4, Seed = seed,
        });
        var w = new double[h * h];
        for (int j = 0; j < h; j++) w[j * h + j] = recurrentScale;
        model.Parameters.CopyFrom("weight_hh_l0", w);
        return model;
    }

    private static SequenceBatch<double> Steps(int steps, double inputScale)
    {
        var random = new Random(3);
        return new SequenceBatch<double>(steps, 1)
        {
            Dense = Enumerable.Range(0, steps * 3).Select(_ => inputScale * random.NextDouble()).ToArray(),
            TokenTargets = Enumerable.Range(0, steps).Select(t => t % 4).ToArray(),
        };
    }

    [Fact]
    public void Probe_TanhRnnWithContractingW_ShowsVanishingGradients()
    {
        // W = 0.5 I and tanh' ≤ 1: each step back multiplies the error by at most 0.5.
        using var model = Recurrent(CellKind.RnnTanh, 0.5, 1);
        var flow = GradientFlow.Probe(model, Steps(20, 0.1));
        for (int t = 0; t < 20; t++)
            for (int k = -1; k < t; k++)
                Assert.True(flow.Norms[t, k + 1] <= 0.5 * flow.Norms[t, k + 2], $"t {t}, k {k}");
        var mean = flow.MeanByDistance();
        Assert.True(mean[20] < 1e-5 * mean[0], $"{mean[20]} vs {mean[0]}");
    }

    [Fact]
    public void Probe_ReluRnnWithExpandingW_ShowsExplodingGradients()
    {
        // W = 1.5 I with positive inputs keeps every unit in relu's linear part: the error grows 1.5x a step.
        using var model = Recurrent(CellKind.RnnRelu, 1.5, 1);
        model.Parameters.CopyFrom("weight_ih_l0", Enumerable.Repeat(0.2, 8 * 3).ToArray());
        var flow = GradientFlow.Probe(model, Steps(12, 1.0));
        for (int k = 0; k < 11; k++)
            Assert.Equal(1.5, flow.Norms[11, k + 1] / flow.Norms[11, k + 2], 9);
    }

    [Fact]
    public void Probe_OfTheSeedModel_StartsAtVTransposeTheOutputError()
    {
        // dE_t/ds_t = V^T (o_t − onehot(y_t)): the k = t entries come straight from the forward pass.
        const int c = 12, h = 5;
        using var model = new RnnLanguageModel<double>(c, h, seed: 4);
        int[] x = [0, 3, 5, 7, 2, 9], y = [3, 5, 7, 2, 9, 1];
        var o = new double[x.Length * c];
        model.ForwardPropagation(x, o, new double[x.Length * h]);
        var v = new double[c * h];
        model.Weights.CopyTo(RnnParameter.V, v);

        var flow = GradientFlow.Probe(model, x, y);

        for (int t = 0; t < x.Length; t++)
        {
            double sum = 0;
            for (int i = 0; i < h; i++)
            {
                double g = 0;
                for (int k = 0; k < c; k++) g += v[k * h + i] * (o[t * c + k] - (k == y[t] ? 1 : 0));
                sum += g * g;
            }
            Assert.Equal(Math.Sqrt(sum), flow.Norms[t, t + 1], 12);
        }
    }
}
