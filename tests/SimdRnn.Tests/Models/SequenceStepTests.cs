using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Cells;
using SimdRnn.Models;
using SimdRnn.Tests.Support;
using Xunit;

namespace SimdRnn.Tests.Models;

public class SequenceStepTests
{
    public static Arbitrary<SequenceCase> Cases() =>
        SequenceCase.Gen(maxT: 6, maxB: 3, maxI: 5, maxH: 9, maxO: 4).Select(c => c with { Padded = false }).ToArbitrary();

    [Property(Arbitrary = new[] { typeof(SequenceStepTests) }, MaxTest = 50)]
    public void Step_OneAtATime_FollowsTheBatchForward(SequenceCase c)
    {
        var random = new Random(c.Seed);
        using var model = new SequenceModel<double>(c.Options);
        var data = SequenceData<double>.Random(c, random);
        model.Loss(data.Batch<double>(c));
        var outputs = new double[c.T * c.B * c.H];
        model.CopyOutputs(outputs);
        var finalH = new double[c.Layers * c.B * c.H];
        var finalC = new double[c.Cell == CellKind.Lstm ? finalH.Length : 0];
        model.CopyFinalState(finalH, finalC);

        var h = data.H0.Length > 0 ? (double[])data.H0.Clone() : new double[finalH.Length];
        var cs = c.Cell == CellKind.Lstm ? (data.C0.Length > 0 ? (double[])data.C0.Clone() : new double[finalH.Length]) : [];
        var output = new double[c.B * c.O];
        int top = (c.Layers - 1) * c.B * c.H;
        for (int t = 0; t < c.T; t++)
        {
            if (c.Input == InputKind.Dense) model.Step(data.Dense.AsSpan(t * c.B * c.I, c.B * c.I), h, cs, output);
            else model.Step(data.Tokens.AsSpan(t * c.B, c.B), h, cs, output);
            Tolerance.AssertClose(outputs.AsSpan(t * c.B * c.H, c.B * c.H).ToArray(), h.AsSpan(top, c.B * c.H), $"h at step {t}");
            // The output is the head applied to the new top state.
            for (int s = 0; s < c.B; s++)
                for (int o = 0; o < c.O; o++)
                {
                    double expected = c.Bias ? model.Parameters["head.bias", 0, o] : 0;
                    for (int j = 0; j < c.H; j++) expected += model.Parameters["head.weight", o, j] * h[top + s * c.H + j];
                    Tolerance.AssertClose([expected], output.AsSpan(s * c.O + o, 1), "output");
                }
        }
        Tolerance.AssertClose(finalH, h, "final h");
        if (c.Cell == CellKind.Lstm) Tolerance.AssertClose(finalC, cs, "final c");
    }

    [Fact]
    public void Step_InSteadyState_AllocatesNothing()
    {
        using var model = new SequenceModel<float>(new SequenceModelOptions
        {
            Cell = CellKind.Lstm, Input = InputKind.OneHot, InputSize = 65, HiddenSize = 64, Layers = 2, OutputSize = 65,
        });
        var h = new float[2 * 64];
        var c = new float[2 * 64];
        var logits = new float[65];
        int[] token = [3];
        Assert.Equal(0, Allocations.LeastPerWindow(() => model.Step(token, h, c, logits), callsPerWindow: 10));
    }

    [Theory]
    [InlineData(CellKind.RnnTanh, InputKind.OneHot)]
    [InlineData(CellKind.Gru, InputKind.Embedding)]
    [InlineData(CellKind.Lstm, InputKind.Dense)]
    public void ForwardBackward_InSteadyState_AllocatesNothing(CellKind cell, InputKind input)
    {
        var c = new SequenceCase(cell, input, HeadKind.LanguageModel, 2, true, 8, 4, 5, 16, 5, true, true, 1);
        using var model = new SequenceModel<float>(c.Options with { Dropout = 0.25 });
        var batch = SequenceData<float>.Random(c, new Random(1)).Batch<float>(c);
        Assert.Equal(0, Allocations.LeastPerWindow(() => model.ForwardBackward(batch)));
    }
}
