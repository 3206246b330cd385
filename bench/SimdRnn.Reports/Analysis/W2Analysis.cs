// W2, the char model's SGD step (T 64, B 32, O 65, one layer, one-hot input, float) for each cell,
// H 128 and 512, on 1 and 2 threads. Useful FLOPs: the forward products (recurrence 2·T·B·G·H·H,
// output layer 2·T·B·O·H) and twice that for the backward; the one-hot input is a gather, 0 FLOPs.
// Targets: at H 512 every cell at 85% or more of the 1-thread peak on one thread, and 1.7x or more
// from a second thread; at H 128 every cell 1.5x or more faster than PyTorch on one thread.
using System.Globalization;
using SimdRnn.Reports.Parsing;

namespace SimdRnn.Reports.Analysis;

/// <summary>One cell and hidden size of W2Benchmarks on 1 and 2 threads.</summary>
/// <param name="Cell">RnnTanh, Gru or Lstm.</param>
/// <param name="H">The hidden size.</param>
/// <param name="Seconds1">The step on 1 thread.</param>
/// <param name="Seconds2">The step on 2 threads.</param>
/// <param name="TokensPerSecond1">T·B over the 1-thread time.</param>
/// <param name="TokensPerSecond2">T·B over the 2-thread time.</param>
/// <param name="Gflops1">Useful GFLOP/s on 1 thread.</param>
/// <param name="Gflops2">Useful GFLOP/s on 2 threads.</param>
/// <param name="PercentOfPeak1">Percentage of the 1-thread FMA peak.</param>
/// <param name="PercentOfPeak2">Percentage of the 2-thread FMA peak.</param>
/// <param name="Speedup2">1-thread time over 2-thread time.</param>
/// <param name="PyTorchSeconds">PyTorch's step on 1 thread (issue #4).</param>
/// <param name="SpeedupOverPyTorch">PyTorch's time over ours, 1 thread.</param>
public sealed record W2Row(
    string Cell, int H, double? Seconds1, double? Seconds2, double? TokensPerSecond1, double? TokensPerSecond2,
    double? Gflops1, double? Gflops2, double? PercentOfPeak1, double? PercentOfPeak2, double? Speedup2,
    double? PyTorchSeconds, double? SpeedupOverPyTorch);

/// <summary>W2's rows and targets.</summary>
public sealed record W2Result(IReadOnlyList<W2Row> Rows, IReadOnlyList<TargetCheck> Checks);

/// <summary>Rates, shares of peak and targets of W2Benchmarks.</summary>
public static class W2Analysis
{
    /// <summary>Steps T, batch B and output size O of the char model.</summary>
    public const int T = 64, B = 32, O = 65;

    private static readonly string[] TargetCells = ["RnnTanh", "Gru", "Lstm"];

    /// <summary>The formula of <see cref="UsefulFlops"/>, for the summary.</summary>
    public const string FlopsFormula = "3 × (2·T·B·G·H·H + 2·T·B·O·H)";

    /// <summary>Useful FLOPs of one step: 3 × (2·T·B·G·H·H + 2·T·B·O·H).</summary>
    public static double UsefulFlops(int gates, int h) => 3.0 * (2.0 * T * B * gates * h * h + 2.0 * T * B * O * h);

    /// <summary>One row per (H, cell), smaller H first, cells in <see cref="Cells.Rank"/> order, and the targets.</summary>
    public static W2Result Analyse(IReadOnlyList<BenchmarkRow> rows, FmaPeak peak)
    {
        var table = (
            from cell in rows.Values("FastFloat", "Cell")
            from h in rows.Values("FastFloat", "H").Select(text => int.Parse(text, CultureInfo.InvariantCulture))
            let seconds1 = Mean(rows, cell, h, 1)
            let seconds2 = Mean(rows, cell, h, 2)
            where seconds1 is not null || seconds2 is not null
            orderby h, Cells.Rank(cell)
            select Row(cell, h, seconds1, seconds2, peak)).ToList();

        var checks = new List<TargetCheck>();
        foreach (string cell in TargetCells)
        {
            var large = table.FirstOrDefault(r => r.Cell == cell && r.H == 512);
            checks.Add(new Target($"W2 {Cells.Name(cell)} H 512, 1 thread, share of peak", Bound.AtLeast, 85, "%").Check(large?.PercentOfPeak1));
            checks.Add(new Target($"W2 {Cells.Name(cell)} H 512, 2 threads over 1", Bound.AtLeast, 1.7, "x").Check(large?.Speedup2));
        }
        foreach (string cell in TargetCells)
        {
            var small = table.FirstOrDefault(r => r.Cell == cell && r.H == 128);
            checks.Add(new Target($"W2 {Cells.Name(cell)} H 128, 1 thread, speed-up over PyTorch", Bound.AtLeast, 1.5, "x").Check(small?.SpeedupOverPyTorch));
        }
        return new W2Result(table, checks);
    }

    private static double? Mean(IReadOnlyList<BenchmarkRow> rows, string cell, int h, int threads)
        => rows.Mean("FastFloat", ("Cell", cell), ("H", h.ToString(CultureInfo.InvariantCulture)), ("Threads", threads.ToString(CultureInfo.InvariantCulture)));

    private static W2Row Row(string cell, int h, double? seconds1, double? seconds2, FmaPeak peak)
    {
        double flops = UsefulFlops(Cells.Gates(cell), h);
        double? gflops1 = Rates.Gflops(flops, seconds1), gflops2 = Rates.Gflops(flops, seconds2);
        double? pyTorch = IssueFourFigures.W2PyTorchSeconds(cell, h);
        return new W2Row(
            cell, h, seconds1, seconds2, Rates.PerSecond(T * B, seconds1), Rates.PerSecond(T * B, seconds2),
            gflops1, gflops2, peak.PercentOf(gflops1, 1), peak.PercentOf(gflops2, 2), Rates.Speedup(seconds1, seconds2),
            pyTorch, Rates.Speedup(pyTorch, seconds1));
    }
}
