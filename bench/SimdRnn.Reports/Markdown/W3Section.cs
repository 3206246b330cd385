// W3: one generated token at batch 1.
using System.Text;
using SimdRnn.Reports.Analysis;

namespace SimdRnn.Reports.Markdown;

/// <summary>Writes the W3Benchmarks table.</summary>
public static class W3Section
{
    /// <summary>Appends the section to <paramref name="md"/>.</summary>
    public static void Write(StringBuilder md, W3Result w3)
    {
        var table = new MarkdownTable(
            "cell", "float (µs)", "double (µs)", "tokens/s (float)", "GFLOP/s (float)", "% of 1-thread peak (float)", "PyTorch (µs, issue #4)");
        foreach (var row in w3.Rows)
            table.Add(
                Cells.Name(row.Cell), Format.Microseconds(row.FloatSeconds), Format.Microseconds(row.DoubleSeconds),
                Format.Count(row.TokensPerSecond), Format.Gflops(row.Gflops), Format.Percent(row.PercentOfPeak),
                Format.Microseconds(row.PyTorchSeconds));
        md.Append(table).Append('\n')
          .Append($"Batch 1, H {W3Analysis.H}, O {W3Analysis.O}, one token, one thread. Useful FLOPs = {W3Analysis.FlopsFormula}. ")
          .Append("Targets (float): LSTM ≤ 120 µs, tanh RNN ≤ 30 µs. PyTorch's LSTM figure is LSTMCell. ")
          .Append(IssueFourFigures.Source).Append("\n\n");
    }
}
