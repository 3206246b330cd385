// The bars of the percent-of-peak chart: every figure of the run that can be read against the FMA
// peak of its thread count, labelled with its workload.
namespace SimdRnn.Reports.Analysis;

/// <summary>A workload's GFLOP/s as a percentage of the FMA peak of the same thread count.</summary>
public sealed record PeakShare(string Label, double Percent);

/// <summary>Gathers the <see cref="PeakShare"/>s of a report.</summary>
public static class PeakShares
{
    /// <summary>The file name of the percent-of-peak chart.</summary>
    public const string ChartFile = "percent-of-peak.png";

    /// <summary>Every GEMM shape (per thread count), every W2 row (per thread count), W1 float at K full and W3 float, where measured.</summary>
    public static IReadOnlyList<PeakShare> Collect(Report report)
    {
        var shares = new List<(string Label, double? Percent)>();
        foreach (var row in report.GemmThreads ?? [])
        {
            shares.Add(($"GEMM {row.Shape}, 1 thread", row.PercentOfPeak1));
            shares.Add(($"GEMM {row.Shape}, 2 threads", row.PercentOfPeak2));
        }
        foreach (var row in report.Gemm ?? [])
            shares.Add(($"GEMM {row.Shape} (W1 set), 1 thread", row.PercentOfPeak));
        foreach (var row in report.W1?.Rows.Where(r => r.K == "full") ?? [])
            shares.Add(("W1 float, K full, 1 thread", row.FloatPercentOfPeak));
        foreach (var row in report.W2?.Rows ?? [])
        {
            shares.Add(($"W2 {Cells.Name(row.Cell)} H {row.H}, 1 thread", row.PercentOfPeak1));
            shares.Add(($"W2 {Cells.Name(row.Cell)} H {row.H}, 2 threads", row.PercentOfPeak2));
        }
        foreach (var row in report.W3?.Rows ?? [])
            shares.Add(($"W3 {Cells.Name(row.Cell)} float, 1 thread", row.PercentOfPeak));
        return shares.Where(s => s.Percent is not null).Select(s => new PeakShare(s.Label, s.Percent!.Value)).ToList();
    }
}
