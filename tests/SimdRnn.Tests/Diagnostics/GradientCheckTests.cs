using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Diagnostics;
using SimdRnn.Models;
using SimdRnn.Tests.Support;
using Xunit;

namespace SimdRnn.Tests.Diagnostics;

public class GradientCheckTests
{
    public static Arbitrary<ModelCase> SmallModels() =>
        (from c in Gen.Choose(1, 20)
         from h in Gen.Choose(1, 10)
         from t in Gen.Choose(1, 8)
         from k in Gen.Choose(0, t + 1)
         from seed in Gen.Choose(0, int.MaxValue)
         select new ModelCase(c, h, t, k, seed)).ToArbitrary();

    [Property(Arbitrary = new[] { typeof(GradientCheckTests) }, MaxTest = 25)]
    public void GradientCheck_Double_PassesBelow1e6_OnRandomSmallModels(ModelCase c)
    {
        var random = new Random(c.Seed);
        using var model = ReferenceBridge.RandomModel<double>(c, random);
        var x = Data.Tokens(random, c.T, c.C);
        var y = Data.Tokens(random, c.T, c.C);

        var result = GradientCheck.Run(model, x, y);

        Assert.True(result.Passed(1e-6), string.Join("\n", result.Parameters));
        Assert.Equal(c.K, model.BpttTruncate);
        Assert.Equal(new[] { c.H * c.C, c.C * c.H, c.H * c.H }, result.Parameters.Select(p => p.EntriesChecked));
    }

    [Fact]
    public void GradientCheck_OfTruncatedBptt_FailsOnW()
    {
        // Truncated BPTT drops the long paths, so it is not the gradient of E: the check must see it.
        using var model = new RnnLanguageModel<double>(10, 6, bpttTruncate: 0, seed: 4);
        int[] x = [1, 2, 3, 4, 5, 6], y = [2, 3, 4, 5, 6, 7];

        var result = GradientCheck.Run(model, x, y, new GradientCheckOptions { UseFullBptt = false });

        Assert.False(result.Passed(1e-3), string.Join("\n", result.Parameters));
        Assert.True(result.Parameters.Single(p => p.Name == "V").MaxRelativeError < 1e-6,
            "dV does not depend on the truncation and must still match");
    }

    [Fact]
    public void GradientCheck_Sampling_ChecksTheRequestedNumberOfEntries_AndRestoresWeights()
    {
        using var model = new RnnLanguageModel<double>(50, 12, seed: 9);
        var before = ReferenceBridge.Dense(model.Weights, RnnParameter.V);
        int[] x = [0, 7, 8, 49], y = [7, 8, 49, 3];

        var result = GradientCheck.Run(model, x, y, new GradientCheckOptions { MaxEntriesPerParameter = 30, Seed = 2 });

        Assert.All(result.Parameters, p => Assert.Equal(30, p.EntriesChecked));
        Assert.True(result.Passed(1e-6), string.Join("\n", result.Parameters));
        Assert.Equal(before, ReferenceBridge.Dense(model.Weights, RnnParameter.V));
    }
}
