// CI's speed guard: the fast path against the scalar reference, both measured in the same short
// BenchmarkDotNet run, must stay above a stated floor. Ratios, not times: the CI machines are
// shared and noisy, and a ratio from one run cancels most of what they share.
using System.Globalization;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SimdRnn.Benchmarks;

/// <summary>
/// Runs W1 (<see cref="W1Benchmarks"/>) and W2 against its twin (<see cref="W2ReferenceBenchmarks"/>)
/// with BenchmarkDotNet's short job and fails when the median time of Reference over that of
/// FastFloat, for any parameter set, falls below the floor of its workload. The floors sit well
/// under what this machine kind measures (W1 about 80x, W2 about 40x; see perf-reports/), so
/// only a real regression, not noise, trips them.
/// </summary>
public static class SpeedupGuard
{
    /// <summary>The least speed-up of the fast float step over the reference that passes, per workload.</summary>
    public static readonly IReadOnlyDictionary<Type, double> Floors = new Dictionary<Type, double>
    {
        [typeof(W1Benchmarks)] = 25,
        [typeof(W2ReferenceBenchmarks)] = 15,
    };

    /// <summary>Runs the guarded workloads; returns 0 when every speed-up is above its floor, else 1.
    /// <paramref name="extraArguments"/> go to BenchmarkDotNet (e.g. --artifacts).</summary>
    public static int Run(string[] extraArguments)
    {
        string[] arguments = ["--filter", .. Floors.Keys.Select(t => "*" + t.Name + "*"), "--job", "short", .. extraArguments];
        var summaries = BenchmarkSwitcher.FromTypes([.. Floors.Keys]).Run(arguments, BenchConfig.Create()).ToList();
        int failures = 0;
        foreach (var type in Floors.Keys)
        {
            var summary = summaries.FirstOrDefault(s => s.BenchmarksCases.Any(c => c.Descriptor.Type == type));
            if (summary is null)
            {
                Console.WriteLine($"guard: {type.Name} did not run");
                failures++;
                continue;
            }
            failures += Check(summary, type.Name, Floors[type]);
        }
        Console.WriteLine(failures == 0 ? "guard: every speed-up is above its floor" : $"guard: {failures} check(s) failed");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>One line per parameter set: Reference / FastFloat median times against the floor.</summary>
    private static int Check(Summary summary, string workload, double floor)
    {
        int failures = 0;
        foreach (var group in summary.Reports.GroupBy(r => r.BenchmarkCase.Parameters.DisplayInfo))
        {
            double? reference = Median(group, "Reference"), fast = Median(group, "FastFloat");
            if (reference is null || fast is null)
            {
                Console.WriteLine($"guard: {workload} {group.Key}: no result for Reference or FastFloat");
                failures++;
                continue;
            }
            double speedup = reference.Value / fast.Value;
            bool ok = speedup >= floor;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"guard: {workload} {group.Key}: FastFloat is {speedup:F1}x faster than Reference (floor {floor}x) {(ok ? "ok" : "TOO SLOW")}"));
            if (!ok) failures++;
        }
        return failures;
    }

    private static double? Median(IEnumerable<BenchmarkReport> reports, string method)
        => reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics?.Median;
}
