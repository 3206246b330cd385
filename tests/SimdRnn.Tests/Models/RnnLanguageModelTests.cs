using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Models;
using SimdRnn.Reference;
using SimdRnn.Tests.Support;
using Xunit;

namespace SimdRnn.Tests.Models;

/// <summary>
/// The fast model against its scalar twin. Tolerances: double, 1e-10 relative; float, 1e-4
/// relative to the norm of the tensor compared (gradients) or to each value (probabilities, loss).
/// </summary>
[Properties(Arbitrary = new[] { typeof(Generators) }, MaxTest = 40)]
public class RnnLanguageModelTests
{
    [Property]
    public void Forward_MatchesReference_Float(ModelCase c) => CheckForward<float>(c);

    [Property]
    public void Forward_MatchesReference_Double(ModelCase c) => CheckForward<double>(c);

    private static void CheckForward<T>(ModelCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        using var model = ReferenceBridge.RandomModel<T>(c, random);
        var twin = ReferenceBridge.Twin(model);
        var x = Data.Tokens(random, c.T, c.C);
        var y = Data.Tokens(random, c.T, c.C);

        var o = new T[c.T * c.C];
        var s = new T[c.T * c.H];
        model.ForwardPropagation(x, o, s);
        var (refO, refS) = twin.ForwardPropagation(x);

        Tolerance.AssertClose(Flatten(refO), o, "o");
        Tolerance.AssertClose(Flatten(refS)[c.H..], s, "s");
        Tolerance.AssertClose([twin.TotalLoss(x, y)], new[] { T.CreateTruncating(model.TotalLoss(x, y)) }, "E");

        var predictions = new int[c.T];
        model.Predict(x, predictions);
        for (int t = 0; t < c.T; t++)
        {
            // The prediction is an argmax: it must be a most probable token, up to rounding ties.
            double best = Enumerable.Range(0, c.C).Max(k => refO[t, k]);
            Tolerance.AssertClose([best], new[] { T.CreateTruncating(refO[t, predictions[t]]) }, $"o[{t}, argmax]");
        }
    }

    [Property]
    public void Bptt_MatchesReference_ForAnyShapeAndTruncation_Float(ModelCase c) => CheckBptt<float>(c);

    [Property]
    public void Bptt_MatchesReference_ForAnyShapeAndTruncation_Double(ModelCase c) => CheckBptt<double>(c);

    private static void CheckBptt<T>(ModelCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        using var model = ReferenceBridge.RandomModel<T>(c, random);
        var twin = ReferenceBridge.Twin(model);
        var x = Data.Tokens(random, c.T, c.C);
        var y = Data.Tokens(random, c.T, c.C);

        double loss = model.Bptt(x, y);
        var (dU, dV, dW) = twin.Bptt(x, y);

        Tolerance.AssertClose([twin.TotalLoss(x, y)], new[] { T.CreateTruncating(loss) }, "E");
        AssertGradient(dU, model.Gradients, RnnParameter.U);
        AssertGradient(dV, model.Gradients, RnnParameter.V);
        AssertGradient(dW, model.Gradients, RnnParameter.W);
    }

    [Property(MaxTest = 20)]
    public void Bptt_RepeatedOnNewSentences_LeavesNoStaleGradient(ModelCase c)
    {
        // dU is cleared row by row (the rows the previous sentence touched), so a second sentence
        // must see no trace of the first, also after the workspace grew in between.
        var random = new Random(c.Seed);
        using var model = ReferenceBridge.RandomModel<double>(c, random);
        var twin = ReferenceBridge.Twin(model);
        foreach (int length in new[] { c.T, 2 * c.T + 3, 1 })
        {
            var x = Data.Tokens(random, length, c.C);
            var y = Data.Tokens(random, length, c.C);
            model.Bptt(x, y);
            var (dU, _, _) = twin.Bptt(x, y);
            AssertGradient(dU, model.Gradients, RnnParameter.U);
        }
    }

    [Property(MaxTest = 25)]
    public void SgdStep_MatchesReferenceStep_Float(ModelCase c) => CheckSgdStep<float>(c);

    [Property(MaxTest = 25)]
    public void SgdStep_MatchesReferenceStep_Double(ModelCase c) => CheckSgdStep<double>(c);

    private static void CheckSgdStep<T>(ModelCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        using var model = ReferenceBridge.RandomModel<T>(c, random);
        var twin = ReferenceBridge.Twin(model);
        // Few distinct tokens, so repeated tokens (one row of U updated once) are common.
        int distinct = Math.Min(c.C, 1 + random.Next(5));
        var x = Data.Tokens(random, c.T, distinct);
        var y = Data.Tokens(random, c.T, c.C);
        const double learningRate = 0.05;
        var before = Parameters(model);

        double loss = model.SgdStep(x, y, T.CreateTruncating(learningRate));
        double refLoss = twin.SgdStep(x, y, learningRate);

        Tolerance.AssertClose([refLoss], new[] { T.CreateTruncating(loss) }, "E");
        var after = Parameters(model);
        double[][] refAfter = [twin.U, twin.V, twin.W];
        for (int p = 0; p < 3; p++)
        {
            // Compare the change of each weight, not the weight, so that an update error of the
            // size of one rounding of the weight cannot hide.
            var change = after[p].Zip(before[p], (a, b) => a - b).ToArray();
            var refChange = refAfter[p].Zip(before[p], (a, b) => a - b).ToArray();
            Tolerance.AssertClose(refChange, change.Select(T.CreateTruncating).ToArray(), $"Δ{(RnnParameter)p}",
                Tolerance.Norm(refChange) + (typeof(T) == typeof(float) ? Tolerance.Norm(before[p]) * 1e-3 : 0));
        }
    }

    [Fact]
    public void Training_LowersTheLoss_OnASmallCorpus()
    {
        // A corpus with structure to learn: token k is followed by (k + 1) mod C.
        const int c = 12;
        var random = new Random(7);
        var xs = new List<int[]>();
        var ys = new List<int[]>();
        for (int n = 0; n < 30; n++)
        {
            int start = random.Next(c), length = 3 + random.Next(8);
            var sentence = Enumerable.Range(0, length + 1).Select(i => (start + i) % c).ToArray();
            xs.Add(sentence[..^1]);
            ys.Add(sentence[1..]);
        }
        using var model = new RnnLanguageModel<float>(c, 16, bpttTruncate: 4, seed: 1);
        double initial = model.MeanLoss(xs, ys);
        for (int epoch = 0; epoch < 20; epoch++)
            for (int n = 0; n < xs.Count; n++)
                model.SgdStep(xs[n], ys[n], 0.05f);
        double final = model.MeanLoss(xs, ys);
        Assert.True(initial > 2.0, $"initial mean loss {initial} should be near log 12 = 2.48");
        Assert.True(final < 0.5 * initial, $"mean loss went from {initial} to {final}");
    }

    [Fact]
    public void SgdStep_InSteadyState_AllocatesNothing()
    {
        using var model = new RnnLanguageModel<float>(300, 33, bpttTruncate: 4, seed: 3);
        var random = new Random(3);
        var x = Data.Tokens(random, 20, 300);
        var y = Data.Tokens(random, 20, 300);
        Assert.Equal(0, Allocations.LeastPerWindow(() => model.SgdStep(x, y, 0.001f), callsPerWindow: 10));
    }

    [Fact]
    public void Generate_IsDeterministicBySeed_AndAvoidsTheForbiddenToken()
    {
        using var model = new RnnLanguageModel<float>(20, 8, seed: 5);
        var a = model.Generate(0, 1, 50, new Random(11), forbiddenToken: 2);
        var b = model.Generate(0, 1, 50, new Random(11), forbiddenToken: 2);
        Assert.Equal(a, b);
        Assert.DoesNotContain(2, a);
        Assert.DoesNotContain(1, a);
        Assert.True(a.Length <= 50);
        Assert.All(a, t => Assert.InRange(t, 0, 19));
    }

    [Fact]
    public void Generate_SamplesFromTheModelsDistribution()
    {
        // With U = W = 0, s = 0 and o = softmax(V 0) is uniform: with token 4 (the end) forbidden,
        // the sampler never stops early and must spread 20000 draws evenly over tokens 0..3.
        using var model = new RnnLanguageModel<double>(5, 3, seed: 1);
        model.Weights.CopyFrom(RnnParameter.U, new double[15]);
        model.Weights.CopyFrom(RnnParameter.W, new double[9]);
        var counts = new int[5];
        foreach (int t in model.Generate(0, 4, 20000, new Random(2), forbiddenToken: 4)) counts[t]++;
        Assert.Equal(20000, counts.Sum());
        Assert.Equal(0, counts[4]);
        for (int k = 0; k < 4; k++) Assert.InRange(counts[k], 4600, 5400);
    }

    private static double[][] Parameters<T>(RnnLanguageModel<T> model) where T : unmanaged, IFloatingPointIeee754<T>
        => [ReferenceBridge.Dense(model.Weights, RnnParameter.U), ReferenceBridge.Dense(model.Weights, RnnParameter.V),
            ReferenceBridge.Dense(model.Weights, RnnParameter.W)];

    private static void AssertGradient<T>(double[] expected, RnnParameters<T> gradients, RnnParameter p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, cols) = gradients.Shape(p);
        var actual = new T[rows * cols];
        gradients.CopyTo(p, actual);
        Tolerance.AssertClose(expected, actual, $"d{p}", Tolerance.Norm(expected));
    }

    private static double[] Flatten(double[,] a) => a.Cast<double>().ToArray();
}
