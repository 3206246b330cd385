// A sweep's table (value, time, time per unit of x), its least-squares line and its chart.
using System.Globalization;
using System.Text;
using SimdRnn.Reports.Analysis;

namespace SimdRnn.Reports.Markdown;

/// <summary>Writes one sweep of ScalingBenchmarks or TruncationBenchmarks.</summary>
public static class SweepSection
{
    /// <summary>Appends the sweep as a level-3 section to <paramref name="md"/>.</summary>
    public static void Write(StringBuilder md, Sweep sweep)
    {
        md.Append("### ").Append(sweep.Title).Append("\n\n");
        if (sweep.Points.Count == 0)
        {
            md.Append("No points on this axis in the CSV; ").Append(sweep.ChartFile).Append(" is not drawn.\n\n");
            return;
        }
        var table = new MarkdownTable(sweep.Axis, "step (ms)", $"ms per {sweep.XName}");
        foreach (var point in sweep.Points)
            table.Add(point.Value.ToString(CultureInfo.InvariantCulture), Format.Milliseconds(point.Seconds), Format.Significant(point.MillisecondsPerX));
        md.Append(table).Append('\n');
        md.Append(sweep.Fit is { } fit
            ? $"Least-squares fit: time ≈ {Format.Significant(fit.Intercept)} ms + {Format.Significant(fit.Slope)} ms × {sweep.XName}, R² = {fit.RSquared.ToString("0.000", CultureInfo.InvariantCulture)}."
            : "Too few distinct points for a fit.");
        md.Append(" Chart: ").Append(sweep.ChartFile).Append("\n\n");
    }
}
