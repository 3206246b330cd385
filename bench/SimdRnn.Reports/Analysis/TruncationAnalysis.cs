// W1's fast float step swept over the truncation K (0 to full, K = T - 1 = 19). The truncated
// recurrence costs O(T·K·H²), linear in K, beside the output layer's O(T·C·H), which does not
// depend on K: the fit's slope is the recurrence's cost per step of K, its intercept the rest.
using System.Globalization;
using SimdRnn.Reports.Parsing;

namespace SimdRnn.Reports.Analysis;

/// <summary>The K sweep of TruncationBenchmarks.</summary>
public static class TruncationAnalysis
{
    /// <summary>The FastFloat rows against K.</summary>
    public static Sweep Sweep(IReadOnlyList<BenchmarkRow> rows)
    {
        var points = rows.Where(r => r.Method == "FastFloat")
            .Select(r => (K: int.Parse(r.Parameters["K"], CultureInfo.InvariantCulture), r.MeanSeconds))
            .Select(p => new SweepPoint(p.K, p.K, p.MeanSeconds))
            .OrderBy(p => p.Value)
            .ToList();
        return new Sweep("K", "steps of truncated BPTT", "K", $"W1 float SGD step, 1 thread, C {W1Analysis.C}, H {W1Analysis.H}, T {W1Analysis.T}", points);
    }
}
