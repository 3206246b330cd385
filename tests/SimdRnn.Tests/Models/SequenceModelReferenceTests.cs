using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Cells;
using SimdRnn.Models;
using SimdRnn.Reference;
using SimdRnn.Tests.Support;
using Xunit;

namespace SimdRnn.Tests.Models;

/// <summary>
/// The batched engine (float and double) against its scalar twin, for every cell, input and head,
/// 1..3 layers, sizes through every vector tail, padded sequences and initial states. Tolerances:
/// double 1e-10, float 1e-4, relative to each tensor's norm for gradients.
/// </summary>
public class SequenceModelReferenceTests
{
    public static Arbitrary<SequenceCase> Cases() => SequenceCase.Gen(maxT: 10, maxB: 5, maxI: 20, maxH: 37, maxO: 12).ToArbitrary();

    [Property(Arbitrary = new[] { typeof(SequenceModelReferenceTests) }, MaxTest = 40)]
    public void ForwardBackward_MatchesReference_Float(SequenceCase c) => Check<float>(c);

    [Property(Arbitrary = new[] { typeof(SequenceModelReferenceTests) }, MaxTest = 40)]
    public void ForwardBackward_MatchesReference_Double(SequenceCase c) => Check<double>(c);

    private static void Check<T>(SequenceCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        using var model = new SequenceModel<T>(c.Options);
        // Weights up to ±1.5/√H: gates away from saturation, yet a recurrence that contracts, so
        // that float rounding is not amplified step after step (a relu RNN would not saturate it).
        foreach (string name in model.Parameters.Names)
        {
            var (rows, cols) = model.Parameters.Shape(name);
            model.Parameters.CopyFrom(name, Data.Uniform<T>(random, rows * cols, 1.5 / Math.Sqrt(c.H)));
        }
        var data = SequenceData<double>.Random(c, random);
        static TM[] Convert<TM>(double[] a) where TM : INumberBase<TM> => [.. a.Select(TM.CreateTruncating)];
        // The fast model sees the double data rounded to T; the twin gets the same rounded values.
        var rounded = new SequenceData<double>
        {
            Dense = Data.ToDouble<T>(Convert<T>(data.Dense)), Tokens = data.Tokens, Lengths = data.Lengths,
            H0 = Data.ToDouble<T>(Convert<T>(data.H0)), C0 = Data.ToDouble<T>(Convert<T>(data.C0)),
            TokenTargets = data.TokenTargets, ClassTargets = data.ClassTargets,
            ValueTargets = Data.ToDouble<T>(Convert<T>(data.ValueTargets)),
        };
        double loss = model.ForwardBackward(rounded.Batch<T>(c, Convert<T>));
        var twin = Twin(model, c);
        var expected = twin.Run(new ReferenceBatch
        {
            T = c.T, B = c.B, Dense = c.Input == InputKind.Dense ? rounded.Dense : null,
            Tokens = c.Input == InputKind.Dense ? null : rounded.Tokens, Lengths = rounded.Lengths,
            H0 = rounded.H0.Length > 0 ? rounded.H0 : null, C0 = rounded.C0.Length > 0 ? rounded.C0 : null,
            TokenTargets = rounded.TokenTargets, ClassTargets = rounded.ClassTargets, ValueTargets = rounded.ValueTargets,
        });

        Tolerance.AssertClose([expected.Loss], new[] { T.CreateTruncating(loss) }, $"{c}\nE");
        for (int l = 0; l < c.Layers; l++)
        {
            Gradient(model, $"weight_ih_l{l}", expected.Layers[l].DWeightIh, c);
            Gradient(model, $"weight_hh_l{l}", expected.Layers[l].DWeightHh, c);
            if (c.Bias)
            {
                Gradient(model, $"bias_ih_l{l}", expected.Layers[l].DBiasIh!, c);
                Gradient(model, $"bias_hh_l{l}", expected.Layers[l].DBiasHh!, c);
            }
        }
        if (c.Input == InputKind.Embedding) Gradient(model, "embedding.weight", expected.DEmbedding!, c);
        Gradient(model, "head.weight", expected.DHeadWeight, c);
        if (c.Bias) Gradient(model, "head.bias", expected.DHeadBias!, c);

        var outputs = new T[c.T * c.B * c.H];
        model.CopyOutputs(outputs);
        Tolerance.AssertClose(expected.Outputs, outputs, $"{c}\noutputs", MaxAbs(expected.Outputs));
        int state = c.Layers * c.B * c.H;
        var h = new T[state];
        var cs = new T[c.Cell == CellKind.Lstm ? state : 0];
        model.CopyFinalState(h, cs);
        Tolerance.AssertClose(expected.FinalH, h, $"{c}\nfinal h", MaxAbs(expected.FinalH));
        if (c.Cell == CellKind.Lstm) Tolerance.AssertClose(expected.FinalC!, cs, $"{c}\nfinal c", MaxAbs(expected.FinalC!));
        var dh0 = new T[state];
        var dc0 = new T[cs.Length];
        model.CopyInitialStateGradient(dh0, dc0);
        Tolerance.AssertClose(expected.DH0, dh0, $"{c}\ndh0", Tolerance.Norm(expected.DH0));
        if (c.Cell == CellKind.Lstm) Tolerance.AssertClose(expected.DC0!, dc0, $"{c}\ndc0", Tolerance.Norm(expected.DC0));
        if (c.Input == InputKind.Dense)
        {
            var dx = new T[c.T * c.B * c.I];
            model.CopyInputGradient(dx);
            Tolerance.AssertClose(expected.DDense!, dx, $"{c}\ndx", Tolerance.Norm(expected.DDense));
        }
    }

    private static double MaxAbs(double[] a) => a.Length == 0 ? 0 : a.Max(Math.Abs);

    private static void Gradient<T>(SequenceModel<T> model, string name, double[] expected, SequenceCase c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, cols) = model.Gradients.Shape(name);
        var actual = new T[rows * cols];
        model.Gradients.CopyTo(name, actual);
        Tolerance.AssertClose(expected, actual, $"{c}\nd{name}", Tolerance.Norm(expected));
    }

    private static ReferenceSequenceModel Twin<T>(SequenceModel<T> model, SequenceCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var twin = new ReferenceSequenceModel((ReferenceCell)(int)c.Cell, (ReferenceInput)(int)c.Input, c.I,
            c.Options.EmbeddingSize, c.H, c.Layers, c.Bias, (ReferenceHead)(int)c.Head, c.O);
        double[] Dense(string name)
        {
            var (rows, cols) = model.Parameters.Shape(name);
            var a = new T[rows * cols];
            model.Parameters.CopyTo(name, a);
            return Data.ToDouble<T>(a);
        }
        for (int l = 0; l < c.Layers; l++)
        {
            Dense($"weight_ih_l{l}").CopyTo(twin.Layers[l].WeightIh, 0);
            Dense($"weight_hh_l{l}").CopyTo(twin.Layers[l].WeightHh, 0);
            if (c.Bias)
            {
                Dense($"bias_ih_l{l}").CopyTo(twin.Layers[l].BiasIh!, 0);
                Dense($"bias_hh_l{l}").CopyTo(twin.Layers[l].BiasHh!, 0);
            }
        }
        if (c.Input == InputKind.Embedding) Dense("embedding.weight").CopyTo(twin.Embedding!, 0);
        Dense("head.weight").CopyTo(twin.HeadWeight, 0);
        if (c.Bias) Dense("head.bias").CopyTo(twin.HeadBias!, 0);
        return twin;
    }
}
