// The GEMM shapes of W1 (and 512³ for scale) on one thread: the packed engine against the
// scalar triple loop it replaces.
using SimdRnn.Reports.Parsing;

namespace SimdRnn.Reports.Analysis;

/// <summary>One shape of GemmBenchmarks.</summary>
/// <param name="Shape">The product.</param>
/// <param name="PackedGflops">GFLOP/s of the packed engine.</param>
/// <param name="PercentOfPeak">Percentage of the 1-thread FMA peak.</param>
/// <param name="SpeedupOverScalar">ScalarLoop time over Packed time.</param>
public sealed record GemmRow(GemmShape Shape, double? PackedGflops, double? PercentOfPeak, double? SpeedupOverScalar);

/// <summary>Rates and speed-ups of GemmBenchmarks.</summary>
public static class GemmAnalysis
{
    /// <summary>One row per Shape of the Packed rows, in CSV order.</summary>
    public static IReadOnlyList<GemmRow> Rows(IReadOnlyList<BenchmarkRow> rows, FmaPeak peak)
        => rows.Values("Packed", "Shape").Select(text =>
        {
            var shape = GemmShape.Parse(text);
            double? packed = rows.Mean("Packed", ("Shape", text));
            double? gflops = Rates.Gflops(shape.Flops, packed);
            return new GemmRow(shape, gflops, peak.PercentOf(gflops, 1), Rates.Speedup(rows.Mean("ScalarLoop", ("Shape", text)), packed));
        }).ToList();
}
