using SimdRnn.Cells;

namespace SimdRnn.Models;

/// <summary>How a sequence model reads its input.</summary>
public enum InputKind
{
    /// <summary>Dense features, (T, B, I).</summary>
    Dense,
    /// <summary>Token ids, (T, B), as one-hot vectors over C = InputSize: layer 0's W_ih x_t is column x_t of W_ih.</summary>
    OneHot,
    /// <summary>Token ids, (T, B), looked up in a learned embedding table (C, E).</summary>
    Embedding,
}

/// <summary>What a sequence model predicts, and its loss.</summary>
public enum HeadKind
{
    /// <summary>A softmax over O classes at every valid step: E = −Σ_{b, t &lt; len_b} log p_t,b[target_t,b].</summary>
    LanguageModel,
    /// <summary>A softmax over O classes from each sequence's final state: E = −Σ_b log p_b[class_b].</summary>
    Classification,
    /// <summary>O values from each sequence's final state, squared error: E = Σ_b Σ_o (ŷ_b,o − y_b,o)^2.</summary>
    Regression,
}

/// <summary>The shape of a <see cref="SequenceModel{T}"/>: cell, sizes, layers, input and head.</summary>
public sealed record SequenceModelOptions
{
    /// <summary>The recurrent cell.</summary>
    public CellKind Cell { get; init; } = CellKind.Lstm;

    /// <summary>How the input is given.</summary>
    public InputKind Input { get; init; } = InputKind.Dense;

    /// <summary>I for dense input; the vocabulary C for token input.</summary>
    public int InputSize { get; init; }

    /// <summary>E, the embedding width (only for <see cref="InputKind.Embedding"/>).</summary>
    public int EmbeddingSize { get; init; }

    /// <summary>H, the hidden size of every layer.</summary>
    public int HiddenSize { get; init; }

    /// <summary>Stacked layers (PyTorch's num_layers); layer k+1 reads layer k's h.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Whether the cells and the head have biases (PyTorch's bias).</summary>
    public bool Bias { get; init; } = true;

    /// <summary>The head and its loss.</summary>
    public HeadKind Head { get; init; } = HeadKind.LanguageModel;

    /// <summary>O: classes of the softmax heads, or values of the regression head.</summary>
    public int OutputSize { get; init; }

    /// <summary>Dropout probability on the input of every layer but the first, during training only.</summary>
    public double Dropout { get; init; }

    /// <summary>Seed of the initialisation and of the dropout masks.</summary>
    public int Seed { get; init; }

    /// <summary>Threads used inside a step (by the GEMMs). Every element is reduced in one fixed order
    /// whatever the count, so results are bit-identical for any thread count and on repeat.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Layer 0's input width: I, C (one-hot) or E (embedding).</summary>
    internal int FirstLayerInput => Input switch
    {
        InputKind.Dense or InputKind.OneHot => InputSize,
        _ => EmbeddingSize,
    };

    internal void Validate()
    {
        if (!Enum.IsDefined(Cell)) throw new ArgumentOutOfRangeException(nameof(Cell), Cell, "Not a cell kind.");
        if (!Enum.IsDefined(Input)) throw new ArgumentOutOfRangeException(nameof(Input), Input, "Not an input kind.");
        if (!Enum.IsDefined(Head)) throw new ArgumentOutOfRangeException(nameof(Head), Head, "Not a head kind.");
        ArgumentOutOfRangeException.ThrowIfLessThan(InputSize, 1, nameof(InputSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Layers, 1, nameof(Layers));
        ArgumentOutOfRangeException.ThrowIfLessThan(OutputSize, 1, nameof(OutputSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
        if (Input == InputKind.Embedding)
            ArgumentOutOfRangeException.ThrowIfLessThan(EmbeddingSize, 1, nameof(EmbeddingSize));
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
    }
}
