// Summary columns shared by the benchmarks of DESIGN.md §4: work per operation over mean time.
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SimdRnn.Benchmarks;

/// <summary>A rate: the work one operation does (tokens, floating-point operations) divided by
/// its mean time, in units of <paramref name="unit"/> per second.</summary>
public sealed class RateColumn(string name, string legend, Func<BenchmarkCase, double> workPerOperation, double unit, string format)
    : IColumn
{
    /// <summary>Tokens per second, for benchmarks that all process the same tokens per operation.</summary>
    public static RateColumn TokensPerSecond(long tokensPerOperation)
        => new("Tokens/s", "Tokens processed per second of the mean time", _ => tokensPerOperation, 1, "N0");

    /// <summary>GFLOP/s, given the floating-point operations of one operation.</summary>
    public static RateColumn Gflops(Func<BenchmarkCase, double> flopsPerOperation)
        => new("GFLOP/s", "Floating-point operations per second of the mean time, in 10^9", flopsPerOperation, 1e9, "F1");

    public string Id => nameof(RateColumn) + name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Statistics;
    public int PriorityInCategory => 10;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNs is not > 0)
            return "-";
        double perSecond = workPerOperation(benchmarkCase) * 1e9 / meanNs.Value / unit;
        return perSecond.ToString(format, CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}
