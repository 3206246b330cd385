// W3, generation: one token through the model (batch 1, H 512, O 65), one thread. Useful FLOPs:
// the recurrence 2·G·H·H and the output layer 2·O·H. Targets (float): LSTM 0.12 ms or less,
// tanh RNN 0.03 ms or less.
using SimdRnn.Reports.Parsing;

namespace SimdRnn.Reports.Analysis;

/// <summary>One cell of W3Benchmarks.</summary>
/// <param name="Cell">RnnTanh or Lstm.</param>
/// <param name="FloatSeconds">The float token.</param>
/// <param name="DoubleSeconds">The double token.</param>
/// <param name="TokensPerSecond">1 over the float time.</param>
/// <param name="Gflops">Useful GFLOP/s in float.</param>
/// <param name="PercentOfPeak">Percentage of the 1-thread FMA peak, float.</param>
/// <param name="PyTorchSeconds">PyTorch's token (issue #4).</param>
public sealed record W3Row(
    string Cell, double? FloatSeconds, double? DoubleSeconds, double? TokensPerSecond, double? Gflops,
    double? PercentOfPeak, double? PyTorchSeconds);

/// <summary>W3's rows and targets.</summary>
public sealed record W3Result(IReadOnlyList<W3Row> Rows, IReadOnlyList<TargetCheck> Checks);

/// <summary>Rates, shares of peak and targets of W3Benchmarks.</summary>
public static class W3Analysis
{
    /// <summary>Hidden size H and output size O.</summary>
    public const int H = 512, O = 65;

    /// <summary>The formula of <see cref="UsefulFlops"/>, for the summary.</summary>
    public const string FlopsFormula = "2·G·H·H + 2·O·H";

    /// <summary>Useful FLOPs of one token: 2·G·H·H + 2·O·H.</summary>
    public static double UsefulFlops(int gates) => 2.0 * gates * H * H + 2.0 * O * H;

    /// <summary>One row per cell, in <see cref="Cells.Rank"/> order, and the float targets.</summary>
    public static W3Result Analyse(IReadOnlyList<BenchmarkRow> rows, FmaPeak peak)
    {
        var table = rows.Values("FastFloat", "Cell").Concat(rows.Values("FastDouble", "Cell")).Distinct()
            .OrderBy(Cells.Rank)
            .Select(cell =>
            {
                double? fastFloat = rows.Mean("FastFloat", ("Cell", cell));
                double? gflops = Rates.Gflops(UsefulFlops(Cells.Gates(cell)), fastFloat);
                return new W3Row(
                    cell, fastFloat, rows.Mean("FastDouble", ("Cell", cell)), Rates.PerSecond(1, fastFloat), gflops,
                    peak.PercentOf(gflops, 1), IssueFourFigures.W3PyTorchSeconds(cell));
            }).ToList();

        TargetCheck[] checks =
        [
            new Target("W3 LSTM float token", Bound.AtMost, 120, "µs").Check(rows.Mean("FastFloat", ("Cell", "Lstm")) * 1e6),
            new Target("W3 tanh RNN float token", Bound.AtMost, 30, "µs").Check(rows.Mean("FastFloat", ("Cell", "RnnTanh")) * 1e6),
        ];
        return new W3Result(table, checks);
    }
}
