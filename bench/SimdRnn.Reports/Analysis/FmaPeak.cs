// The machine's float FMA peak, measured in the same run (FmaPeakBenchmarks), against which
// every GFLOP/s of the report is read. Its FLOPs depend on the vector width the run used, which
// the CSV does not state, so this is the one figure taken from BenchmarkDotNet's GFLOP/s column
// (the benchmark computes it with the lanes it ran on).
using SimdRnn.Reports.Parsing;

namespace SimdRnn.Reports.Analysis;

/// <summary>Peak float GFLOP/s by thread count; empty when the run has no FmaPeakBenchmarks CSV.</summary>
public sealed class FmaPeak(IReadOnlyDictionary<int, double> gflopsByThreads)
{
    /// <summary>The peak of each Fma row's Threads, from its GFLOP/s column; empty for null rows.</summary>
    public static FmaPeak From(IReadOnlyList<BenchmarkRow>? rows)
    {
        var gflopsByThreads = new Dictionary<int, double>();
        foreach (var row in rows ?? [])
        {
            if (row.Method == "Fma"
                && int.TryParse(row.Parameters.GetValueOrDefault("Threads"), out int threads)
                && Units.Number(row.Columns.GetValueOrDefault("GFLOP/s") ?? "") is double gflops)
                gflopsByThreads[threads] = gflops;
        }
        return new FmaPeak(gflopsByThreads);
    }

    /// <summary>Whether any peak was measured.</summary>
    public bool IsKnown => gflopsByThreads.Count > 0;

    /// <summary>The thread counts measured and their peak GFLOP/s, fewest threads first.</summary>
    public IEnumerable<(int Threads, double Gflops)> Figures
        => gflopsByThreads.OrderBy(p => p.Key).Select(p => (p.Key, p.Value));

    /// <summary>100 · <paramref name="gflops"/> / peak(<paramref name="threads"/>); null if either is unknown.</summary>
    public double? PercentOf(double? gflops, int threads)
        => gflops is double g && gflopsByThreads.TryGetValue(threads, out double peak) && peak > 0
            ? 100 * g / peak
            : null;
}
