// K1: the packed GEMM on 1 and 2 threads.
using System.Text;
using SimdRnn.Reports.Analysis;

namespace SimdRnn.Reports.Markdown;

/// <summary>Writes the GemmThreadsBenchmarks table.</summary>
public static class GemmThreadsSection
{
    /// <summary>Appends the section to <paramref name="md"/>.</summary>
    public static void Write(StringBuilder md, IReadOnlyList<GemmThreadsRow> rows)
    {
        var table = new MarkdownTable(
            "shape (MxNxK, op)", "GFLOP/s 1 thread", "% of 1-thread peak", "GFLOP/s 2 threads", "% of 2-thread peak",
            "speed-up 2/1", "OpenBLAS 1 thread (issue #4)", "targets");
        foreach (var row in rows)
        {
            string targets = row.Checks.Count == 0
                ? "—"
                : string.Join("; ", row.Checks.Select(c => $"{Format.Goal(c.Target)}: {Format.Status(c)}"));
            table.Add(
                row.Shape.ToString(), Format.Gflops(row.Gflops1), Format.Percent(row.PercentOfPeak1),
                Format.Gflops(row.Gflops2), Format.Percent(row.PercentOfPeak2), Format.Ratio(row.Speedup),
                row.OpenBlasGflops is null ? "" : Format.Gflops(row.OpenBlasGflops), targets);
        }
        md.Append(table).Append('\n')
          .Append("FLOPs = 2·M·N·K. Targets: 512x512x512 ≥ 100 GFLOP/s and 32x512x2048 ≥ 85 GFLOP/s on 1 thread, ")
          .Append("2 threads ≥ ").Append(Format.Ratio(GemmThreadsAnalysis.MinSpeedup)).Append(" the 1-thread figure. ")
          .Append(IssueFourFigures.Source).Append("\n\n");
    }
}
