// The percent-of-peak chart: one horizontal bar per figure that has a share of the FMA peak,
// labelled with its workload and its value, in the order of the summary, coloured by workload.
using System.Globalization;
using ScottPlot;
using SimdRnn.Reports.Analysis;

namespace SimdRnn.Reports.Charts;

/// <summary>Draws <see cref="PeakShares.ChartFile"/>.</summary>
public static class PercentOfPeakChart
{
    /// <summary>Saves the bars of <paramref name="shares"/> as a PNG at <paramref name="path"/>.</summary>
    public static void Save(IReadOnlyList<PeakShare> shares, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var workloads = shares.Select(Workload).Distinct().ToList();
        var bars = shares.Select((share, i) => new Bar
        {
            // The first share at the top.
            Position = shares.Count - 1 - i,
            Value = share.Percent,
            Label = share.Percent.ToString("0.0", CultureInfo.InvariantCulture) + "%",
            FillColor = palette.GetColor(workloads.IndexOf(Workload(share))),
        }).ToList();

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontSize = 12;
        plot.Add.VerticalLine(100, 1, Colors.Gray, LinePattern.Dashed);

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            bars.Select(b => b.Position).ToArray(), shares.Select(s => s.Label).ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsX(0, Math.Max(110, shares.Max(s => s.Percent) * 1.12));
        plot.Axes.SetLimitsY(-0.6, shares.Count - 0.4);
        plot.Title("Useful GFLOP/s as % of the float FMA peak (same thread count)");
        plot.XLabel("% of FMA peak");
        plot.YLabel("workload");
        plot.SavePng(path, 1100, 140 + 28 * shares.Count);
    }

    // "GEMM", "W1", "W2" or "W3": the label's first word.
    private static string Workload(PeakShare share) => share.Label.Split(' ')[0];
}
