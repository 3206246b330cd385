// W1, the seed's SGD step (C 8000, H 100, T 20, batch 1), one thread, for truncation K 4 and full.
// Useful FLOPs: the forward products (output layer 2·T·C·H, recurrence 2·T·H·H) and twice that
// for the backward. Targets: the float step at K full in 1.5 ms or less, and K 4 no slower than full.
using SimdRnn.Reports.Parsing;

namespace SimdRnn.Reports.Analysis;

/// <summary>One truncation K of W1Benchmarks.</summary>
/// <param name="K">"4" or "full", as the CSV writes it.</param>
/// <param name="ReferenceSeconds">The scalar double reference step.</param>
/// <param name="FloatSeconds">The fast float step.</param>
/// <param name="DoubleSeconds">The fast double step.</param>
/// <param name="FloatSpeedup">Reference time over fast float time.</param>
/// <param name="FloatGflops">Useful GFLOP/s of the fast float step.</param>
/// <param name="FloatPercentOfPeak">Percentage of the 1-thread FMA peak.</param>
/// <param name="FloatAllocatedBytes">Bytes the fast float step allocates.</param>
/// <param name="DoubleAllocatedBytes">Bytes the fast double step allocates.</param>
public sealed record W1Row(
    string K, double? ReferenceSeconds, double? FloatSeconds, double? DoubleSeconds, double? FloatSpeedup,
    double? FloatGflops, double? FloatPercentOfPeak, double? FloatAllocatedBytes, double? DoubleAllocatedBytes);

/// <summary>W1's rows and targets.</summary>
public sealed record W1Result(IReadOnlyList<W1Row> Rows, IReadOnlyList<TargetCheck> Checks);

/// <summary>Rates, shares of peak and targets of W1Benchmarks.</summary>
public static class W1Analysis
{
    /// <summary>Vocabulary C, hidden size H and sentence length T of the seed's step.</summary>
    public const int C = 8000, H = 100, T = 20;

    /// <summary>The formula of <see cref="UsefulFlops"/>, for the summary.</summary>
    public const string FlopsFormula = "3 × (2·T·C·H + 2·T·H·H)";

    /// <summary>Useful FLOPs of one step: 3 × (2·T·C·H + 2·T·H·H).</summary>
    public const double UsefulFlops = 3.0 * (2.0 * T * C * H + 2.0 * T * H * H);

    /// <summary>One row per K, in CSV order, and the two targets.</summary>
    public static W1Result Analyse(IReadOnlyList<BenchmarkRow> rows, FmaPeak peak)
    {
        var table = rows.Values("FastFloat", "K").Select(k =>
        {
            double? reference = rows.Mean("Reference", ("K", k));
            double? fastFloat = rows.Mean("FastFloat", ("K", k));
            double? gflops = Rates.Gflops(UsefulFlops, fastFloat);
            return new W1Row(
                k, reference, fastFloat, rows.Mean("FastDouble", ("K", k)), Rates.Speedup(reference, fastFloat),
                gflops, peak.PercentOf(gflops, 1),
                rows.Find("FastFloat", ("K", k))?.AllocatedBytes, rows.Find("FastDouble", ("K", k))?.AllocatedBytes);
        }).ToList();

        double? full = rows.Mean("FastFloat", ("K", "full"));
        double? four = rows.Mean("FastFloat", ("K", "4"));
        TargetCheck[] checks =
        [
            new Target("W1 fast float step, K full", Bound.AtMost, 1.5, "ms").Check(full * 1e3),
            new Target("W1 fast float step, K 4 time over K full", Bound.AtMost, 1.0, "x").Check(four / full),
        ];
        return new W1Result(table, checks);
    }
}
