// The FMA peak the other sections read their GFLOP/s against.
using System.Text;
using SimdRnn.Reports.Analysis;

namespace SimdRnn.Reports.Markdown;

/// <summary>Writes the FMA peak table, or says that % of peak is n/a.</summary>
public static class PeakSection
{
    /// <summary>Appends the section to <paramref name="md"/>.</summary>
    public static void Write(StringBuilder md, FmaPeak peak)
    {
        md.Append("## FMA peak (FmaPeakBenchmarks)\n\n");
        if (!peak.IsKnown)
        {
            md.Append("% of peak: n/a (no FMA peak in this run), so every \"% of peak\" below reads n/a ")
              .Append("and ").Append(PeakShares.ChartFile).Append(" is not drawn.\n\n");
            return;
        }
        var table = new MarkdownTable("threads", "peak GFLOP/s (float FMA)");
        foreach (var (threads, gflops) in peak.Figures)
            table.Add(threads.ToString(System.Globalization.CultureInfo.InvariantCulture), Format.Gflops(gflops));
        md.Append(table).Append('\n')
          .Append("Independent FMA chains on the widest native vectors: 2 × threads × 2^20 × 12 × lanes FLOPs. ")
          .Append("This is the one figure taken from BenchmarkDotNet's GFLOP/s column, since the CSV does not say ")
          .Append("which vector width the run used. Each % of peak below is against the peak of the same thread count.\n\n");
    }
}
