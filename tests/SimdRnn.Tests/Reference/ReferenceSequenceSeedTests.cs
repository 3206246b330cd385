using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Reference;
using SimdRnn.Tests.Support;
using Xunit;

namespace SimdRnn.Tests.Reference;

/// <summary>
/// The sequence reference agrees with the seed's twin on the seed's model: one bias-free tanh
/// layer over one-hot tokens, a language-model head, one full-length sentence, and full BPTT
/// (K &gt;= T−1). U = weight_ih_l0 (H, C), W = weight_hh_l0 (H, H), V = the head's weight (C, H).
/// </summary>
public class ReferenceSequenceSeedTests
{
    public static Arbitrary<ModelCase> SeedModels() =>
        (from c in Gen.Choose(1, 30)
         from h in Gen.Choose(1, 16)
         from t in Gen.Choose(1, 15)
         from k in Gen.Choose(t - 1, t + 2)
         from seed in Gen.Choose(0, int.MaxValue)
         select new ModelCase(c, h, t, k, seed)).ToArbitrary();

    [Property(Arbitrary = new[] { typeof(ReferenceSequenceSeedTests) }, MaxTest = 60)]
    public void OneLayerTanhLanguageModel_EqualsSeedTwin_WithFullBptt(ModelCase c)
    {
        var random = new Random(c.Seed);
        var seed = new ReferenceRnn(c.C, c.H, c.K);
        SequenceData.Uniform(random, c.H * c.C, 1 / Math.Sqrt(c.C)).CopyTo(seed.U, 0);
        SequenceData.Uniform(random, c.C * c.H, 2 * random.NextDouble()).CopyTo(seed.V, 0);
        SequenceData.Uniform(random, c.H * c.H, 1.5 / Math.Sqrt(c.H)).CopyTo(seed.W, 0);
        var x = SequenceData.Tokens(random, c.T, c.C);
        var y = SequenceData.Tokens(random, c.T, c.C);

        var model = new ReferenceSequenceModel(ReferenceCell.RnnTanh, ReferenceInput.OneHot, c.C, 0, c.H, 1,
                                               bias: false, ReferenceHead.LanguageModel, c.C);
        seed.U.CopyTo(model.Layers[0].WeightIh, 0);
        seed.W.CopyTo(model.Layers[0].WeightHh, 0);
        seed.V.CopyTo(model.HeadWeight, 0);
        var result = model.Run(new ReferenceBatch { T = c.T, B = 1, Tokens = x, Lengths = [c.T], TokenTargets = y });

        var (_, s) = seed.ForwardPropagation(x);
        var (dU, dV, dW) = seed.Bptt(x, y);
        SequenceData.AssertClose([seed.TotalLoss(x, y)], [result.Loss], "E", 1e-12);
        var states = new double[c.T * c.H];
        for (int t = 0; t < c.T; t++)
            for (int j = 0; j < c.H; j++)
                states[t * c.H + j] = s[t + 1, j];
        SequenceData.AssertClose(states, result.Outputs, "s", 1e-12);
        SequenceData.AssertClose(states[((c.T - 1) * c.H)..], result.FinalH, "s_{T-1}", 1e-12);
        SequenceData.AssertClose(dU, result.Layers[0].DWeightIh, "dU", 1e-12);
        SequenceData.AssertClose(dW, result.Layers[0].DWeightHh, "dW", 1e-12);
        SequenceData.AssertClose(dV, result.DHeadWeight, "dV", 1e-12);
        Assert.Null(result.Layers[0].DBiasIh);
        Assert.Null(result.DHeadBias);
    }
}
