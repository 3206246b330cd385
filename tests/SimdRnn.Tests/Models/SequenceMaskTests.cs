using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Cells;
using SimdRnn.Models;
using SimdRnn.Tests.Support;
using Xunit;

namespace SimdRnn.Tests.Models;

public class SequenceMaskTests
{
    public static Arbitrary<SequenceCase> Cases() =>
        SequenceCase.Gen(maxT: 8, maxB: 1, maxI: 6, maxH: 11, maxO: 5).Select(c => c with { T = c.T + 2 }).ToArbitrary();

    [Property(Arbitrary = new[] { typeof(SequenceMaskTests) }, MaxTest = 60)]
    public void PaddedSequence_GivesTheSameLossGradientsAndFinalState_AsUnpadded(SequenceCase c)
    {
        // The same sequence of length L, alone (T = L) and padded to T with random garbage after L.
        var random = new Random(c.Seed);
        int length = 1 + random.Next(c.T - 1);
        using var model = new SequenceModel<double>(c.Options);
        var padded = SequenceData<double>.Random(c with { Padded = false }, random);
        padded.Lengths = [length];
        var alone = new SequenceData<double>
        {
            Dense = padded.Dense.Length == 0 ? [] : padded.Dense[..(length * c.I)],
            Tokens = padded.Tokens.Length == 0 ? [] : padded.Tokens[..length],
            Lengths = [length], H0 = padded.H0, C0 = padded.C0,
            TokenTargets = padded.TokenTargets[..length], ClassTargets = padded.ClassTargets, ValueTargets = padded.ValueTargets,
        };
        var cAlone = c with { T = length };

        double lossPadded = model.ForwardBackward(padded.Batch<double>(c));
        var gradPadded = model.Gradients.Flat.ToArray();
        var hPadded = new double[c.Layers * c.H];
        var cPadded = new double[c.Cell == CellKind.Lstm ? hPadded.Length : 0];
        model.CopyFinalState(hPadded, cPadded);

        double lossAlone = model.ForwardBackward(alone.Batch<double>(cAlone));
        var hAlone = new double[hPadded.Length];
        var cAloneState = new double[cPadded.Length];
        model.CopyFinalState(hAlone, cAloneState);

        Tolerance.AssertClose([lossAlone], new[] { lossPadded }, "E");
        Tolerance.AssertClose(model.Gradients.Flat.ToArray(), gradPadded, "gradients", Tolerance.Norm(gradPadded));
        Tolerance.AssertClose(hAlone, hPadded, "final h");
        Tolerance.AssertClose(cAloneState, cPadded, "final c");
    }
}
