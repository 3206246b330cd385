// The recurrent cells as the benchmarks name them (CellKind), with their gate count G.
namespace SimdRnn.Reports.Analysis;

/// <summary>Gate counts and display names of the benchmarks' Cell parameter values.</summary>
public static class Cells
{
    /// <summary>G: 1 for the tanh RNN, 3 for the GRU, 4 for the LSTM.</summary>
    /// <exception cref="ArgumentException">The cell is none of RnnTanh, Gru, Lstm.</exception>
    public static int Gates(string cell) => cell switch
    {
        "RnnTanh" => 1,
        "Gru" => 3,
        "Lstm" => 4,
        _ => throw new ArgumentException($"Unknown cell '{cell}': expected RnnTanh, Gru or Lstm.", nameof(cell)),
    };

    /// <summary>"tanh RNN", "GRU" or "LSTM"; any other value as it is.</summary>
    public static string Name(string cell) => cell switch
    {
        "RnnTanh" => "tanh RNN",
        "Gru" => "GRU",
        "Lstm" => "LSTM",
        _ => cell,
    };

    /// <summary>The report's order of cells: tanh RNN, GRU, LSTM, then any other.</summary>
    public static int Rank(string cell) => cell switch
    {
        "RnnTanh" => 0,
        "Gru" => 1,
        "Lstm" => 2,
        _ => 3,
    };
}
