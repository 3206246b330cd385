// A sweep's chart: the measured step times as points and the least-squares line through them.
using System.Globalization;
using ScottPlot;
using SimdRnn.Reports.Analysis;

namespace SimdRnn.Reports.Charts;

/// <summary>Draws a <see cref="Sweep"/>'s chart (<see cref="Sweep.ChartFile"/>).</summary>
public static class SweepChart
{
    /// <summary>Saves the chart of <paramref name="sweep"/>, which has at least one point, as a PNG at <paramref name="path"/>.</summary>
    public static void Save(Sweep sweep, string path)
    {
        var plot = new Plot();
        double[] x = sweep.Points.Select(p => p.X).ToArray();
        double[] milliseconds = sweep.Points.Select(p => p.Seconds * 1e3).ToArray();

        var points = plot.Add.ScatterPoints(x, milliseconds);
        points.MarkerSize = 9;
        points.LegendText = "measured (mean)";

        if (sweep.Fit is { } fit)
        {
            double left = Math.Min(0, x.Min()), right = x.Max();
            var line = plot.Add.Line(left, fit.At(left), right, fit.At(right));
            line.LineWidth = 2;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = string.Create(CultureInfo.InvariantCulture,
                $"least squares: {fit.Intercept:G3} ms + {fit.Slope:G3} ms × {sweep.XName}, R² = {fit.RSquared:0.000}");
        }

        // A margin on both sides, so a point at x = 0 is not cut by the axis.
        double margin = 0.03 * (x.Max() - Math.Min(0, x.Min()));
        plot.Axes.SetLimitsX(Math.Min(0, x.Min()) - margin, x.Max() + margin);
        plot.Axes.SetLimitsY(0, milliseconds.Max() * 1.15);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title(sweep.Title);
        plot.XLabel(sweep.XName == sweep.Axis
            ? $"{sweep.Axis} ({sweep.Meaning})"
            : $"{sweep.XName} ({sweep.Axis}: {sweep.Meaning} = {string.Join(", ", sweep.Points.Select(p => p.Value))})");
        plot.YLabel("step time (ms)");
        plot.SavePng(path, 900, 560);
    }
}
