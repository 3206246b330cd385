// W2: the char model's step for each cell, H 128 and 512, 1 and 2 threads.
using System.Text;
using SimdRnn.Reports.Analysis;

namespace SimdRnn.Reports.Markdown;

/// <summary>Writes the W2Benchmarks table.</summary>
public static class W2Section
{
    /// <summary>Appends the section to <paramref name="md"/>.</summary>
    public static void Write(StringBuilder md, W2Result w2)
    {
        var table = new MarkdownTable(
            "cell", "H", "1 thread (ms)", "2 threads (ms)", "tokens/s (1 / 2)", "GFLOP/s (1 / 2)",
            "% of peak (1 / 2)", "2-thread speed-up", "PyTorch 1 thread (ms, issue #4)", "speed-up over PyTorch (1 thread)");
        foreach (var row in w2.Rows)
            table.Add(
                Cells.Name(row.Cell), row.H.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Format.Milliseconds(row.Seconds1), Format.Milliseconds(row.Seconds2),
                $"{Format.Count(row.TokensPerSecond1)} / {Format.Count(row.TokensPerSecond2)}",
                $"{Format.Gflops(row.Gflops1)} / {Format.Gflops(row.Gflops2)}",
                $"{Format.Percent(row.PercentOfPeak1)} / {Format.Percent(row.PercentOfPeak2)}",
                Format.Ratio(row.Speedup2), Format.Milliseconds(row.PyTorchSeconds), Format.Ratio(row.SpeedupOverPyTorch));
        md.Append(table).Append('\n')
          .Append($"T {W2Analysis.T}, B {W2Analysis.B}, O {W2Analysis.O}, one layer, one-hot input, float; tokens/s = T·B / mean. ")
          .Append($"Useful FLOPs = {W2Analysis.FlopsFormula}, G = 1 / 3 / 4 for tanh RNN / GRU / LSTM (the one-hot input is a gather: 0 FLOPs). ")
          .Append("% of peak is against the peak of the same thread count. ")
          .Append("Targets: H 512 every cell ≥ 85% of the 1-thread peak on 1 thread and 2 threads ≥ 1.7x 1 thread; ")
          .Append("H 128 every cell ≥ 1.5x faster than PyTorch on 1 thread. ")
          .Append(IssueFourFigures.Source).Append("\n\n");
    }
}
