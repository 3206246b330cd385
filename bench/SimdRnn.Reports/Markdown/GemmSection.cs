// The GEMM shapes of W1 on one thread, packed against the scalar loop.
using System.Text;
using SimdRnn.Reports.Analysis;

namespace SimdRnn.Reports.Markdown;

/// <summary>Writes the GemmBenchmarks table.</summary>
public static class GemmSection
{
    /// <summary>Appends the section to <paramref name="md"/>.</summary>
    public static void Write(StringBuilder md, IReadOnlyList<GemmRow> rows)
    {
        var table = new MarkdownTable("shape (MxNxK, op)", "Packed GFLOP/s", "% of 1-thread peak", "speed-up over ScalarLoop");
        foreach (var row in rows)
            table.Add(row.Shape.ToString(), Format.Gflops(row.PackedGflops), Format.Percent(row.PercentOfPeak), Format.Ratio(row.SpeedupOverScalar));
        md.Append(table).Append('\n').Append("One thread; FLOPs = 2·M·N·K.\n\n");
    }
}
