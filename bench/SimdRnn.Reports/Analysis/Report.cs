// Everything the summary and the charts show, computed once from the CSVs of one run.
using SimdRnn.Reports.Parsing;

namespace SimdRnn.Reports.Analysis;

/// <summary>The analysed run: one member per benchmark class, null where its CSV is absent.</summary>
public sealed record Report(
    BenchmarkResults Results,
    FmaPeak Peak,
    IReadOnlyList<GemmThreadsRow>? GemmThreads,
    IReadOnlyList<GemmRow>? Gemm,
    W1Result? W1,
    W2Result? W2,
    IReadOnlyList<W2ReferenceRow>? W2Reference,
    W3Result? W3,
    IReadOnlyList<Sweep>? Scaling,
    Sweep? Truncation)
{
    /// <summary>Analyses every class of <paramref name="results"/> that has a CSV.</summary>
    public static Report From(BenchmarkResults results)
    {
        var peak = FmaPeak.From(results.Rows("FmaPeakBenchmarks"));
        T? Analyse<T>(string benchmarkClass, Func<IReadOnlyList<BenchmarkRow>, T> analyse) where T : class
            => results.Rows(benchmarkClass) is { } rows ? analyse(rows) : null;
        return new Report(
            results,
            peak,
            Analyse("GemmThreadsBenchmarks", rows => GemmThreadsAnalysis.Rows(rows, peak)),
            Analyse("GemmBenchmarks", rows => GemmAnalysis.Rows(rows, peak)),
            Analyse("W1Benchmarks", rows => W1Analysis.Analyse(rows, peak)),
            Analyse("W2Benchmarks", rows => W2Analysis.Analyse(rows, peak)),
            Analyse("W2ReferenceBenchmarks", W2ReferenceAnalysis.Rows),
            Analyse("W3Benchmarks", rows => W3Analysis.Analyse(rows, peak)),
            Analyse("ScalingBenchmarks", ScalingAnalysis.Sweeps),
            Analyse("TruncationBenchmarks", TruncationAnalysis.Sweep));
    }

    /// <summary>Every target check of the run, in section order.</summary>
    public IEnumerable<TargetCheck> Checks
        => (GemmThreads ?? []).SelectMany(r => r.Checks)
            .Concat(W1?.Checks ?? [])
            .Concat(W2?.Checks ?? [])
            .Concat(W3?.Checks ?? []);
}
