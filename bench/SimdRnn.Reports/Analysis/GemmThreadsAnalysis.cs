// K1 of issue #4: the packed GEMM on 1 and 2 threads. Targets: 512x512x512 at 100 GFLOP/s or more
// on one thread, 32x512x2048 at 85 or more, and for both a second thread giving 1.8x or more.
using SimdRnn.Reports.Parsing;

namespace SimdRnn.Reports.Analysis;

/// <summary>One shape of GemmThreadsBenchmarks on 1 and 2 threads.</summary>
/// <param name="Shape">The product.</param>
/// <param name="Gflops1">GFLOP/s on 1 thread.</param>
/// <param name="PercentOfPeak1">Percentage of the 1-thread FMA peak.</param>
/// <param name="Gflops2">GFLOP/s on 2 threads.</param>
/// <param name="PercentOfPeak2">Percentage of the 2-thread FMA peak.</param>
/// <param name="Speedup">1-thread time over 2-thread time.</param>
/// <param name="OpenBlasGflops">OpenBLAS on 1 thread (issue #4), where quoted.</param>
/// <param name="Checks">The shape's targets; empty for shapes without one.</param>
public sealed record GemmThreadsRow(
    GemmShape Shape, double? Gflops1, double? PercentOfPeak1, double? Gflops2, double? PercentOfPeak2,
    double? Speedup, double? OpenBlasGflops, IReadOnlyList<TargetCheck> Checks);

/// <summary>Rates, shares of peak and targets of GemmThreadsBenchmarks.</summary>
public static class GemmThreadsAnalysis
{
    /// <summary>The least 2-thread over 1-thread speed-up the targeted shapes must reach.</summary>
    public const double MinSpeedup = 1.8;

    /// <summary>One row per Shape of the Packed rows, in CSV order.</summary>
    public static IReadOnlyList<GemmThreadsRow> Rows(IReadOnlyList<BenchmarkRow> rows, FmaPeak peak)
        => rows.Values("Packed", "Shape").Select(text =>
        {
            var shape = GemmShape.Parse(text);
            double? seconds1 = rows.Mean("Packed", ("Shape", text), ("Threads", "1"));
            double? seconds2 = rows.Mean("Packed", ("Shape", text), ("Threads", "2"));
            double? gflops1 = Rates.Gflops(shape.Flops, seconds1), gflops2 = Rates.Gflops(shape.Flops, seconds2);
            double? speedup = Rates.Speedup(seconds1, seconds2);
            return new GemmThreadsRow(
                shape, gflops1, peak.PercentOf(gflops1, 1), gflops2, peak.PercentOf(gflops2, 2), speedup,
                IssueFourFigures.OpenBlasGflops(shape), Checks(shape, gflops1, speedup));
        }).ToList();

    private static IReadOnlyList<TargetCheck> Checks(GemmShape shape, double? gflops1, double? speedup)
    {
        double? goal = shape.Is(512, 512, 512) ? 100 : shape.Is(32, 512, 2048) ? 85 : null;
        if (goal is not double minGflops)
            return [];
        return
        [
            new Target($"GEMM {shape}, 1 thread", Bound.AtLeast, minGflops, "GFLOP/s").Check(gflops1),
            new Target($"GEMM {shape}, 2 threads over 1", Bound.AtLeast, MinSpeedup, "x").Check(speedup),
        ];
    }
}
