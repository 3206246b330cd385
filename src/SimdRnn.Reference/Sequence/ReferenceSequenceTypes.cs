namespace SimdRnn.Reference;

/// <summary>The recurrent cell of a <see cref="ReferenceSequenceModel"/>, with its gate count G.</summary>
public enum ReferenceCell
{
    /// <summary>Elman RNN, h' = tanh(W_ih x + b_ih + W_hh h + b_hh); G = 1.</summary>
    RnnTanh,
    /// <summary>Elman RNN, h' = relu(W_ih x + b_ih + W_hh h + b_hh), relu'(0) = 0; G = 1.</summary>
    RnnRelu,
    /// <summary>PyTorch's GRU, gate rows r, z, n; G = 3.</summary>
    Gru,
    /// <summary>PyTorch's LSTM, gate rows i, f, g, o; G = 4.</summary>
    Lstm,
}

/// <summary>What layer 0 reads at each step.</summary>
public enum ReferenceInput
{
    /// <summary>A dense vector of size I per step (<see cref="ReferenceBatch.Dense"/>).</summary>
    Dense,
    /// <summary>A token id per step, read as the one-hot vector over C: W_ih is (G*H, C).</summary>
    OneHot,
    /// <summary>A token id per step, read as its row of the (C, E) embedding table: W_ih is (G*H, E).</summary>
    Embedding,
}

/// <summary>The output layer on the last layer's h and its loss.</summary>
public enum ReferenceHead
{
    /// <summary>At every valid step, −log softmax(V h_t + b)[target]; summed over steps and sequences.</summary>
    LanguageModel,
    /// <summary>Once per sequence on its final h, −log softmax(V h + b)[target]; summed over sequences.</summary>
    Classification,
    /// <summary>Once per sequence on its final h, Σ_o (V h + b − y)_o²; summed over sequences (no ½, no mean).</summary>
    Regression,
}

/// <summary>
/// One layer's parameters in PyTorch's layout (weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k},
/// bias_hh_l{k}): G gate blocks of H rows each, stacked in the cell's gate order.
/// </summary>
public sealed class ReferenceLayer
{
    /// <summary>W_ih, (G*H, In) row-major, In the layer's input size.</summary>
    public double[] WeightIh = [];
    /// <summary>W_hh, (G*H, H) row-major.</summary>
    public double[] WeightHh = [];
    /// <summary>b_ih, (G*H); null when the model has no bias.</summary>
    public double[]? BiasIh;
    /// <summary>b_hh, (G*H); null when the model has no bias.</summary>
    public double[]? BiasHh;
}

/// <summary>The gradients of one layer, in the shapes of <see cref="ReferenceLayer"/>.</summary>
public sealed class ReferenceLayerGradients
{
    /// <summary>dLoss/dW_ih, (G*H, In).</summary>
    public double[] DWeightIh = [];
    /// <summary>dLoss/dW_hh, (G*H, H).</summary>
    public double[] DWeightHh = [];
    /// <summary>dLoss/db_ih, (G*H); null when the model has no bias.</summary>
    public double[]? DBiasIh;
    /// <summary>dLoss/db_hh, (G*H); null when the model has no bias.</summary>
    public double[]? DBiasHh;
}

/// <summary>
/// A time-major mini-batch of B sequences of at most T steps. Arrays are row-major. Fields the
/// model does not use (the other input kind, the other heads' targets) are ignored, except C0,
/// which is refused for a cell that has no cell state.
/// </summary>
public sealed class ReferenceBatch
{
    /// <summary>Steps.</summary>
    public int T;
    /// <summary>Sequences.</summary>
    public int B;
    /// <summary>Dense input, (T, B, I): index (t*B + b)*I + i.</summary>
    public double[]? Dense;
    /// <summary>Token input, (T, B): index t*B + b, ids in [0, C) at every step, padded ones included.</summary>
    public int[]? Tokens;
    /// <summary>(B): sequence b has valid steps 0..Lengths[b]−1, 1 &lt;= Lengths[b] &lt;= T; later steps are padding.</summary>
    public int[] Lengths = [];
    /// <summary>Initial hidden state, (L, B, H): index (l*B + b)*H + j; null means zeros.</summary>
    public double[]? H0;
    /// <summary>Initial cell state, (L, B, H), LSTM only; null means zeros.</summary>
    public double[]? C0;
    /// <summary>LanguageModel targets, (T, B): index t*B + b, in [0, O) at valid steps; padded steps are not read.</summary>
    public int[]? TokenTargets;
    /// <summary>Classification targets, (B), in [0, O).</summary>
    public int[]? ClassTargets;
    /// <summary>Regression targets, (B, O): index b*O + o.</summary>
    public double[]? ValueTargets;
}

/// <summary>The forward values and the gradients of the loss from <see cref="ReferenceSequenceModel.Run"/>.</summary>
public sealed class ReferenceResult
{
    /// <summary>The summed loss of the batch.</summary>
    public double Loss;
    /// <summary>(T, B, H): the last layer's h_t; 0 at padded steps (t &gt;= Lengths[b]).</summary>
    public double[] Outputs = [];
    /// <summary>(L, B, H): each layer's h after step Lengths[b]−1.</summary>
    public double[] FinalH = [];
    /// <summary>(L, B, H): each layer's c after step Lengths[b]−1; LSTM only.</summary>
    public double[]? FinalC;
    /// <summary>Per layer, the gradients of its weights and biases.</summary>
    public ReferenceLayerGradients[] Layers = [];
    /// <summary>(C, E), Embedding input only.</summary>
    public double[]? DEmbedding;
    /// <summary>(O, H).</summary>
    public double[] DHeadWeight = [];
    /// <summary>(O), when the model has bias.</summary>
    public double[]? DHeadBias;
    /// <summary>(T, B, I), Dense input only: dLoss/dx, 0 at padded steps.</summary>
    public double[]? DDense;
    /// <summary>(L, B, H): dLoss/dH0 (also when H0 was null, i.e. zeros).</summary>
    public double[] DH0 = [];
    /// <summary>(L, B, H): dLoss/dC0, LSTM only.</summary>
    public double[]? DC0;
}
