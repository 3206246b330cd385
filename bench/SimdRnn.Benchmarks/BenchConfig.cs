// The configuration every benchmark class runs under (the classes add their own jobs and columns).
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace SimdRnn.Benchmarks;

/// <summary>
/// BenchmarkDotNet's defaults (whose exporters already include GitHub markdown, CSV and HTML, in
/// BenchmarkDotNet.Artifacts/results) plus allocations per operation.
/// </summary>
public static class BenchConfig
{
    public static IConfig Create() => DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);

    /// <summary>
    /// The workloads' own job: 3 warm-ups and 10 iterations, short enough for a full run in a few
    /// minutes although the scalar baselines take a large fraction of a second per operation. It
    /// is the default job, so --job dry or --job short on the command line replace it rather than
    /// run beside it. Ratios read as "80x faster" rather than 0.01. A workload whose operations are
    /// short may ask for more <paramref name="iterationCount"/> to narrow its error on a noisy machine.
    /// </summary>
    public static ManualConfig Workload(int iterationCount = 10)
    {
        var config = ManualConfig.CreateEmpty();
        config.AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(iterationCount).WithId("Workload").AsDefault());
        config.SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
        return config;
    }
}
