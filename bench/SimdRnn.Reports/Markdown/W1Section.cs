// W1: the seed's step for K 4 and full.
using System.Text;
using SimdRnn.Reports.Analysis;

namespace SimdRnn.Reports.Markdown;

/// <summary>Writes the W1Benchmarks table.</summary>
public static class W1Section
{
    /// <summary>Appends the section to <paramref name="md"/>.</summary>
    public static void Write(StringBuilder md, W1Result w1)
    {
        var table = new MarkdownTable(
            "K", "reference (ms)", "fast float (ms)", "fast double (ms)", "float speed-up over reference",
            "float GFLOP/s", "float % of 1-thread peak", "allocated per fast step (float / double)",
            "PyTorch (ms, issue #4)", "numpy float32 (ms, issue #4)");
        foreach (var row in w1.Rows)
            table.Add(
                row.K, Format.Milliseconds(row.ReferenceSeconds), Format.Milliseconds(row.FloatSeconds),
                Format.Milliseconds(row.DoubleSeconds), Format.Ratio(row.FloatSpeedup), Format.Gflops(row.FloatGflops),
                Format.Percent(row.FloatPercentOfPeak),
                $"{Format.Bytes(row.FloatAllocatedBytes)} / {Format.Bytes(row.DoubleAllocatedBytes)}",
                Format.Milliseconds(IssueFourFigures.W1PyTorchSeconds), Format.Milliseconds(IssueFourFigures.W1NumpySeconds));
        md.Append(table).Append('\n')
          .Append($"C {W1Analysis.C}, H {W1Analysis.H}, T {W1Analysis.T}, batch 1, one thread. ")
          .Append($"Useful FLOPs per step = {W1Analysis.FlopsFormula} (forward products and twice that for the backward). ")
          .Append("Targets: fast float at K full ≤ 1.5 ms; K 4 no slower than full. ")
          .Append(IssueFourFigures.Source).Append("\n\n");
    }
}
