namespace SimdRnn.Cells;

/// <summary>The recurrent cells, with PyTorch's equations and gate order (DESIGN.md §1).</summary>
public enum CellKind
{
    /// <summary>Elman RNN, h' = tanh(W_ih x + b_ih + W_hh h + b_hh); one gate block.</summary>
    RnnTanh,
    /// <summary>Elman RNN with relu, h' = relu(W_ih x + b_ih + W_hh h + b_hh); one gate block.</summary>
    RnnRelu,
    /// <summary>GRU, gate blocks r, z, n; b_hn stays inside r ⊙ (W_hn h + b_hn).</summary>
    Gru,
    /// <summary>LSTM, gate blocks i, f, g, o; a cell state c beside h.</summary>
    Lstm,
}

/// <summary>Facts about each cell kind.</summary>
public static class CellKindExtensions
{
    /// <summary>G, the number of gate blocks stacked in weight_ih and weight_hh: 1, 1, 3 or 4.</summary>
    public static int Gates(this CellKind kind) => kind switch
    {
        CellKind.RnnTanh or CellKind.RnnRelu => 1,
        CellKind.Gru => 3,
        CellKind.Lstm => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a cell kind."),
    };
}
