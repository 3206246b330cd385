using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Reference;
using Xunit;

namespace SimdRnn.Tests.Reference;

/// <summary>
/// Padding changes nothing: each sequence of a padded batch gives the loss, outputs, final state
/// and input gradients it gives when run alone with T = its length, and the batch's parameter
/// gradients are the sums of the sequences' own.
/// </summary>
public class ReferenceSequenceMaskTests
{
    public sealed record MaskCase(ReferenceCell Cell, ReferenceHead Head, SequenceCase Sizes);

    public static Arbitrary<MaskCase> MaskCases() =>
        (from cell in Gen.Elements(ReferenceCell.RnnTanh, ReferenceCell.RnnRelu, ReferenceCell.Gru, ReferenceCell.Lstm)
         from head in Gen.Elements(ReferenceHead.LanguageModel, ReferenceHead.Classification, ReferenceHead.Regression)
         from sizes in SequenceGenerators.SequenceCases().Generator
         from b in Gen.Choose(2, 5)
         from t in Gen.Choose(2, 7)
         select new MaskCase(cell, head, sizes with { B = b, T = t })).ToArbitrary();

    private const double Tolerance = 1e-13;

    [Property(Arbitrary = new[] { typeof(ReferenceSequenceMaskTests) }, MaxTest = 60)]
    public void PaddedSequence_EqualsTheSequenceRunAlone(MaskCase mc)
    {
        var c = mc.Sizes;
        var random = new Random(c.Seed);
        var model = SequenceData.RandomModel(mc.Cell, mc.Head, c, random);
        var batch = SequenceData.RandomBatch(model, c, random);
        // At least one padded sequence; shortening keeps the −100 targets on padded steps.
        int k = random.Next(c.B);
        batch.Lengths[k] = Math.Min(batch.Lengths[k], random.Next(1, c.T));
        var result = model.Run(batch);

        int T = c.T, B = c.B, H = model.HiddenSize, L = model.NumLayers, I = model.InputSize;
        double loss = 0;
        var parameterSums = SequenceData.ParameterGradients(result).Select(g => new double[g!.Length]).ToList();
        for (int b = 0; b < B; b++)
        {
            int n = batch.Lengths[b];
            var alone = model.Run(Single(model, batch, b));
            loss += alone.Loss;
            var gradients = SequenceData.ParameterGradients(alone);
            for (int p = 0; p < gradients.Count; p++)
                for (int i = 0; i < gradients[p]!.Length; i++)
                    parameterSums[p][i] += gradients[p]![i];

            for (int t = 0; t < T; t++)
            {
                for (int j = 0; j < H; j++)
                    Assert.Equal(t < n ? alone.Outputs[t * H + j] : 0.0, result.Outputs[(t * B + b) * H + j], Tolerance);
                if (result.DDense != null)
                    for (int i = 0; i < I; i++)
                        Assert.Equal(t < n ? alone.DDense![t * I + i] : 0.0, result.DDense[(t * B + b) * I + i], Tolerance);
            }
            for (int l = 0; l < L; l++)
                for (int j = 0; j < H; j++)
                {
                    Assert.Equal(alone.FinalH[l * H + j], result.FinalH[(l * B + b) * H + j], Tolerance);
                    Assert.Equal(alone.DH0[l * H + j], result.DH0[(l * B + b) * H + j], Tolerance);
                    if (result.FinalC != null)
                    {
                        Assert.Equal(alone.FinalC![l * H + j], result.FinalC[(l * B + b) * H + j], Tolerance);
                        Assert.Equal(alone.DC0![l * H + j], result.DC0![(l * B + b) * H + j], Tolerance);
                    }
                }
        }

        SequenceData.AssertClose([loss], [result.Loss], "loss", 1e-12);
        var batchGradients = SequenceData.ParameterGradients(result);
        var names = SequenceData.Parameters(model);
        for (int p = 0; p < batchGradients.Count; p++)
            SequenceData.AssertClose(parameterSums[p], batchGradients[p], "d" + names[p].Name, 1e-12);
    }

    /// <summary>Sequence <paramref name="b"/> of the batch alone: B = 1, T = its length.</summary>
    private static ReferenceBatch Single(ReferenceSequenceModel model, ReferenceBatch batch, int b)
    {
        int B = batch.B, n = batch.Lengths[b], H = model.HiddenSize, L = model.NumLayers, I = model.InputSize, O = model.OutputSize;
        var single = new ReferenceBatch { T = n, B = 1, Lengths = [n] };
        if (batch.Dense != null)
        {
            single.Dense = new double[n * I];
            for (int t = 0; t < n; t++)
                Array.Copy(batch.Dense, (t * B + b) * I, single.Dense, t * I, I);
        }
        if (batch.Tokens != null)
            single.Tokens = Enumerable.Range(0, n).Select(t => batch.Tokens[t * B + b]).ToArray();
        if (batch.TokenTargets != null)
            single.TokenTargets = Enumerable.Range(0, n).Select(t => batch.TokenTargets[t * B + b]).ToArray();
        if (batch.ClassTargets != null)
            single.ClassTargets = [batch.ClassTargets[b]];
        if (batch.ValueTargets != null)
            single.ValueTargets = batch.ValueTargets[(b * O)..((b + 1) * O)];
        single.H0 = Rows(batch.H0, L, B, H, b);
        single.C0 = Rows(batch.C0, L, B, H, b);
        return single;
    }

    private static double[]? Rows(double[]? state, int L, int B, int H, int b)
    {
        if (state == null) return null;
        var rows = new double[L * H];
        for (int l = 0; l < L; l++)
            Array.Copy(state, (l * B + b) * H, rows, l * H, H);
        return rows;
    }
}
