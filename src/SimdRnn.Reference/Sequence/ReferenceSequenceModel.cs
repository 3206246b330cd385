namespace SimdRnn.Reference;

/// <summary>
/// The scalar twin of the batched sequence engine: L stacked recurrent layers (tanh or relu RNN,
/// GRU, LSTM: PyTorch's equations, gate order and weight layout) over a time-major batch of
/// padded sequences, a language-model, classification or regression head, and full BPTT. Plain
/// loops in double, the equations of DESIGN.md §1 line by line; written to be read, not to be fast.
///
///     RNN : h' = act(W_ih x + b_ih + W_hh h + b_hh)                      act = tanh or relu
///     GRU : r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz)
///           n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h
///     LSTM: i = σ(..), f = σ(..), g = tanh(..), o = σ(..),  c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')
///
/// Every gate's pre-activation is W_i* x + b_i* + W_h* h + b_h*; in the code gi = W_ih x + b_ih and
/// gh = W_hh h + b_hh are the (G*H) stacks of them. A sequence's state (h, and c) is carried
/// unchanged through its padded steps t &gt;= Lengths[b], as PyTorch's packed sequences leave it,
/// so the state after step T−1 is the state after its last valid step.
/// </summary>
public sealed class ReferenceSequenceModel
{
    /// <summary>The cell of every layer.</summary>
    public ReferenceCell Cell { get; }
    /// <summary>What layer 0 reads.</summary>
    public ReferenceInput Input { get; }
    /// <summary>I for Dense input; the vocabulary C for OneHot and Embedding input.</summary>
    public int InputSize { get; }
    /// <summary>E, the embedding width; used only for Embedding input.</summary>
    public int EmbeddingSize { get; }
    /// <summary>H.</summary>
    public int HiddenSize { get; }
    /// <summary>L.</summary>
    public int NumLayers { get; }
    /// <summary>Whether the layers and the head have biases.</summary>
    public bool Bias { get; }
    /// <summary>The output layer and its loss.</summary>
    public ReferenceHead Head { get; }
    /// <summary>O: classes of the LanguageModel and Classification heads, values of the Regression head.</summary>
    public int OutputSize { get; }
    /// <summary>G: 1 for RNN, 3 for GRU, 4 for LSTM.</summary>
    public int Gates { get; }
    /// <summary>The layers' parameters, allocated with zeros.</summary>
    public ReferenceLayer[] Layers { get; }
    /// <summary>(C, E) for Embedding input, else null.</summary>
    public double[]? Embedding { get; }
    /// <summary>V, (O, H).</summary>
    public double[] HeadWeight { get; }
    /// <summary>(O) when the model has bias, else null.</summary>
    public double[]? HeadBias { get; }

    /// <summary>A model with zero parameters; callers fill them.</summary>
    /// <param name="cell">The cell of every layer.</param>
    /// <param name="input">What layer 0 reads.</param>
    /// <param name="inputSize">I for Dense input; the vocabulary C for OneHot and Embedding input.</param>
    /// <param name="embeddingSize">E for Embedding input; ignored otherwise.</param>
    /// <param name="hiddenSize">H.</param>
    /// <param name="numLayers">L.</param>
    /// <param name="bias">Whether the layers and the head have biases.</param>
    /// <param name="head">The output layer and its loss.</param>
    /// <param name="outputSize">O.</param>
    public ReferenceSequenceModel(ReferenceCell cell, ReferenceInput input, int inputSize, int embeddingSize,
                                  int hiddenSize, int numLayers, bool bias, ReferenceHead head, int outputSize)
    {
        if (!Enum.IsDefined(cell)) throw new ArgumentOutOfRangeException(nameof(cell), cell, "Unknown cell.");
        if (!Enum.IsDefined(input)) throw new ArgumentOutOfRangeException(nameof(input), input, "Unknown input kind.");
        if (!Enum.IsDefined(head)) throw new ArgumentOutOfRangeException(nameof(head), head, "Unknown head.");
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        if (input == ReferenceInput.Embedding) ArgumentOutOfRangeException.ThrowIfLessThan(embeddingSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numLayers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);

        Cell = cell;
        Input = input;
        InputSize = inputSize;
        EmbeddingSize = embeddingSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        Bias = bias;
        Head = head;
        OutputSize = outputSize;
        Gates = cell switch { ReferenceCell.Gru => 3, ReferenceCell.Lstm => 4, _ => 1 };

        int G = Gates, H = hiddenSize;
        Layers = new ReferenceLayer[numLayers];
        for (int l = 0; l < numLayers; l++)
        {
            Layers[l] = new ReferenceLayer
            {
                WeightIh = new double[G * H * LayerInputSize(l)],
                WeightHh = new double[G * H * H],
                BiasIh = bias ? new double[G * H] : null,
                BiasHh = bias ? new double[G * H] : null,
            };
        }
        Embedding = input == ReferenceInput.Embedding ? new double[inputSize * embeddingSize] : null;
        HeadWeight = new double[outputSize * H];
        HeadBias = bias ? new double[outputSize] : null;
    }

    /// <summary>The input size In of layer <paramref name="layer"/>: I (Dense), C (OneHot) or E (Embedding) for layer 0, H above.</summary>
    public int LayerInputSize(int layer) =>
        layer > 0 ? HiddenSize : Input == ReferenceInput.Embedding ? EmbeddingSize : InputSize;

    /// <summary>Forward, loss and full BPTT backward over <paramref name="batch"/>.</summary>
    /// <exception cref="ArgumentException">A field of the batch is missing, of the wrong length or out of range; the message and ParamName name it.</exception>
    public ReferenceResult Run(ReferenceBatch batch)
    {
        Validate(batch);
        var tape = Forward(batch);
        return Backward(batch, tape);
    }

    /// <summary>The loss <see cref="Run"/> would return, from the forward pass alone.</summary>
    /// <exception cref="ArgumentException">As <see cref="Run"/>.</exception>
    public double Loss(ReferenceBatch batch)
    {
        Validate(batch);
        return Forward(batch).Loss;
    }

    /// <summary>What the forward pass keeps for the backward pass.</summary>
    private sealed class Tape(int layers)
    {
        /// <summary>Per layer, its input x, (T, B, In).</summary>
        public readonly double[][] X = new double[layers][];
        /// <summary>Per layer, h as (T+1, B, H): row 0 is the initial state, row t+1 the state after step t.</summary>
        public readonly double[][] Hs = new double[layers][];
        /// <summary>Per layer, c as (T+1, B, H); LSTM only.</summary>
        public readonly double[][] Cs = new double[layers][];
        /// <summary>Per layer, the activated gates, (T, B, G*H): h' (RNN); r, z, n (GRU); i, f, g, o (LSTM).</summary>
        public readonly double[][] Acts = new double[layers][];
        /// <summary>Per layer, W_hn h + b_hn, (T, B, H); GRU only.</summary>
        public readonly double[][] Hn = new double[layers][];
        /// <summary>(T, B, H): the last layer's h_t, 0 at padded steps.</summary>
        public double[] Outputs = [];
        /// <summary>(L, B, H) and (L, B, H), LSTM only.</summary>
        public double[] FinalH = [];
        public double[]? FinalC;
        public double Loss;
        /// <summary>dLoss/dlogits (or dLoss/dvalues): (T, B, O) for LanguageModel, (B, O) for the others.</summary>
        public double[] DLogits = [];
    }

    // ---------------------------------------------------------------- forward

    private Tape Forward(ReferenceBatch batch)
    {
        int T = batch.T, B = batch.B, H = HiddenSize, L = NumLayers;
        var tape = new Tape(L);
        double[] x = LayerZeroInput(batch);
        for (int l = 0; l < L; l++)
        {
            tape.X[l] = x;
            LayerForward(l, batch, tape);
            // Layer l+1 reads layer l's h_t: rows 1..T of its states. At padded steps that is the
            // carried state, which layer l+1 never reads, since it carries its own state there.
            x = tape.Hs[l][(B * H)..];
        }

        var last = tape.Hs[L - 1];
        tape.Outputs = new double[T * B * H];
        for (int t = 0; t < T; t++)
            for (int b = 0; b < B; b++)
                if (t < batch.Lengths[b])
                    for (int j = 0; j < H; j++)
                        tape.Outputs[(t * B + b) * H + j] = last[((t + 1) * B + b) * H + j];

        // The state after step T−1 is the state after step Lengths[b]−1, carried through the padding.
        tape.FinalH = new double[L * B * H];
        tape.FinalC = Cell == ReferenceCell.Lstm ? new double[L * B * H] : null;
        for (int l = 0; l < L; l++)
            for (int b = 0; b < B; b++)
                for (int j = 0; j < H; j++)
                {
                    tape.FinalH[(l * B + b) * H + j] = tape.Hs[l][(T * B + b) * H + j];
                    if (tape.FinalC != null)
                        tape.FinalC[(l * B + b) * H + j] = tape.Cs[l][(T * B + b) * H + j];
                }

        HeadForward(batch, tape);
        return tape;
    }

    /// <summary>Layer 0's input x, (T, B, In): the dense rows or the embedding rows. A one-hot input is
    /// not spelled out: W_ih x_t is then column W_ih[:, token] (DESIGN.md §1), read where it is used.</summary>
    private double[] LayerZeroInput(ReferenceBatch batch)
    {
        int T = batch.T, B = batch.B;
        switch (Input)
        {
            case ReferenceInput.Dense:
                return batch.Dense!;
            case ReferenceInput.OneHot:
                return [];
            default:
            {
                int E = EmbeddingSize;
                var x = new double[T * B * E];
                for (int step = 0; step < T * B; step++)
                    for (int e = 0; e < E; e++)
                        x[step * E + e] = Embedding![batch.Tokens![step] * E + e];
                return x;
            }
        }
    }

    /// <summary>One layer over all steps. x is (T, B, In); w_ih is (G*H, In); w_hh is (G*H, H); h, c are (T+1, B, H).</summary>
    private void LayerForward(int l, ReferenceBatch batch, Tape tape)
    {
        int T = batch.T, B = batch.B, H = HiddenSize, G = Gates, In = LayerInputSize(l);
        var layer = Layers[l];
        var x = tape.X[l];
        var h = tape.Hs[l] = new double[(T + 1) * B * H];
        var c = tape.Cs[l] = Cell == ReferenceCell.Lstm ? new double[(T + 1) * B * H] : [];
        var acts = tape.Acts[l] = new double[T * B * G * H];
        var hn = tape.Hn[l] = Cell == ReferenceCell.Gru ? new double[T * B * H] : [];
        bool oneHot = l == 0 && Input == ReferenceInput.OneHot;

        // h_{-1} = H0 and c_{-1} = C0 (zeros when absent).
        for (int b = 0; b < B; b++)
            for (int j = 0; j < H; j++)
            {
                h[b * H + j] = batch.H0 == null ? 0 : batch.H0[(l * B + b) * H + j];
                if (Cell == ReferenceCell.Lstm)
                    c[b * H + j] = batch.C0 == null ? 0 : batch.C0[(l * B + b) * H + j];
            }

        var gi = new double[G * H];
        var gh = new double[G * H];
        for (int t = 0; t < T; t++)
        {
            for (int b = 0; b < B; b++)
            {
                int step = t * B + b;
                int prev = (t * B + b) * H, next = ((t + 1) * B + b) * H, a = step * G * H;
                if (t >= batch.Lengths[b])
                {
                    // Padding: h_t = h_{t−1}, c_t = c_{t−1}.
                    for (int j = 0; j < H; j++)
                    {
                        h[next + j] = h[prev + j];
                        if (Cell == ReferenceCell.Lstm) c[next + j] = c[prev + j];
                    }
                    continue;
                }

                // gi = W_ih x_t + b_ih;  gh = W_hh h_{t−1} + b_hh
                for (int k = 0; k < G * H; k++)
                {
                    double si = layer.BiasIh == null ? 0 : layer.BiasIh[k];
                    if (oneHot)
                        si += layer.WeightIh[k * In + batch.Tokens![step]];   // x_t is one-hot: W_ih x_t = W_ih[:, x_t]
                    else
                        for (int i = 0; i < In; i++)
                            si += layer.WeightIh[k * In + i] * x[step * In + i];
                    gi[k] = si;
                    double sh = layer.BiasHh == null ? 0 : layer.BiasHh[k];
                    for (int i = 0; i < H; i++)
                        sh += layer.WeightHh[k * H + i] * h[prev + i];
                    gh[k] = sh;
                }

                for (int j = 0; j < H; j++)
                {
                    switch (Cell)
                    {
                        case ReferenceCell.RnnTanh:
                            // h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
                            acts[a + j] = Math.Tanh(gi[j] + gh[j]);
                            h[next + j] = acts[a + j];
                            break;
                        case ReferenceCell.RnnRelu:
                            // h' = relu(W_ih x + b_ih + W_hh h + b_hh)
                            acts[a + j] = Math.Max(0, gi[j] + gh[j]);
                            h[next + j] = acts[a + j];
                            break;
                        case ReferenceCell.Gru:
                        {
                            // r = σ(W_ir x + b_ir + W_hr h + b_hr)
                            double r = Sigmoid(gi[j] + gh[j]);
                            // z = σ(W_iz x + b_iz + W_hz h + b_hz)
                            double z = Sigmoid(gi[H + j] + gh[H + j]);
                            // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
                            double n = Math.Tanh(gi[2 * H + j] + r * gh[2 * H + j]);
                            // h' = (1 − z) ⊙ n + z ⊙ h
                            h[next + j] = (1 - z) * n + z * h[prev + j];
                            acts[a + j] = r;
                            acts[a + H + j] = z;
                            acts[a + 2 * H + j] = n;
                            hn[step * H + j] = gh[2 * H + j];
                            break;
                        }
                        case ReferenceCell.Lstm:
                        {
                            // i = σ(..), f = σ(..), g = tanh(..), o = σ(..)
                            double i = Sigmoid(gi[j] + gh[j]);
                            double f = Sigmoid(gi[H + j] + gh[H + j]);
                            double g = Math.Tanh(gi[2 * H + j] + gh[2 * H + j]);
                            double o = Sigmoid(gi[3 * H + j] + gh[3 * H + j]);
                            // c' = f ⊙ c + i ⊙ g
                            c[next + j] = f * c[prev + j] + i * g;
                            // h' = o ⊙ tanh(c')
                            h[next + j] = o * Math.Tanh(c[next + j]);
                            acts[a + j] = i;
                            acts[a + H + j] = f;
                            acts[a + 2 * H + j] = g;
                            acts[a + 3 * H + j] = o;
                            break;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The head's loss and dLoss/dlogits. V is (O, H); logits = V h + b on the last layer's h.</summary>
    private void HeadForward(ReferenceBatch batch, Tape tape)
    {
        int T = batch.T, B = batch.B, H = HiddenSize, O = OutputSize, L = NumLayers;
        tape.Loss = 0;
        if (Head == ReferenceHead.LanguageModel)
        {
            // Loss = Σ_b Σ_{t < Lengths[b]} −log softmax(V h_t + b)[y_t]
            tape.DLogits = new double[T * B * O];
            for (int t = 0; t < T; t++)
                for (int b = 0; b < B; b++)
                    if (t < batch.Lengths[b])
                        tape.Loss += SoftmaxCrossEntropy(tape.Outputs, (t * B + b) * H, batch.TokenTargets![t * B + b],
                                                         tape.DLogits, (t * B + b) * O);
            return;
        }

        // The other heads read each sequence's final h in the last layer.
        tape.DLogits = new double[B * O];
        for (int b = 0; b < B; b++)
        {
            int hRow = ((L - 1) * B + b) * H;
            if (Head == ReferenceHead.Classification)
            {
                // Loss = Σ_b −log softmax(V h_last + b)[y_b]
                tape.Loss += SoftmaxCrossEntropy(tape.FinalH, hRow, batch.ClassTargets![b], tape.DLogits, b * O);
            }
            else
            {
                // Loss = Σ_b Σ_o (V h_last + b − y_b)_o²,  dLoss/dvalue_o = 2 (value_o − y_bo)
                var values = Logits(tape.FinalH, hRow);
                for (int o = 0; o < O; o++)
                {
                    double diff = values[o] - batch.ValueTargets![b * O + o];
                    tape.Loss += diff * diff;
                    tape.DLogits[b * O + o] = 2 * diff;
                }
            }
        }
    }

    /// <summary>V h + b for the h at <paramref name="offset"/> of <paramref name="states"/>.</summary>
    private double[] Logits(double[] states, int offset)
    {
        int H = HiddenSize, O = OutputSize;
        var logits = new double[O];
        for (int o = 0; o < O; o++)
        {
            double s = HeadBias == null ? 0 : HeadBias[o];
            for (int j = 0; j < H; j++)
                s += HeadWeight[o * H + j] * states[offset + j];
            logits[o] = s;
        }
        return logits;
    }

    /// <summary>−log softmax(V h + b)[target], stably (the max subtracted); writes softmax − onehot(target) to dLogits.</summary>
    private double SoftmaxCrossEntropy(double[] states, int offset, int target, double[] dLogits, int dOffset)
    {
        int O = OutputSize;
        var logits = Logits(states, offset);
        double max = double.NegativeInfinity;
        for (int o = 0; o < O; o++)
            max = Math.Max(max, logits[o]);
        double sum = 0;
        for (int o = 0; o < O; o++)
            sum += Math.Exp(logits[o] - max);
        double logSum = max + Math.Log(sum);
        for (int o = 0; o < O; o++)
            dLogits[dOffset + o] = Math.Exp(logits[o] - logSum) - (o == target ? 1 : 0);
        return logSum - logits[target];
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    // ---------------------------------------------------------------- backward

    private ReferenceResult Backward(ReferenceBatch batch, Tape tape)
    {
        int T = batch.T, B = batch.B, H = HiddenSize, G = Gates, L = NumLayers, O = OutputSize;
        bool lstm = Cell == ReferenceCell.Lstm;
        var result = new ReferenceResult
        {
            Loss = tape.Loss,
            Outputs = tape.Outputs,
            FinalH = tape.FinalH,
            FinalC = tape.FinalC,
            Layers = new ReferenceLayerGradients[L],
            DEmbedding = Input == ReferenceInput.Embedding ? new double[InputSize * EmbeddingSize] : null,
            DHeadWeight = new double[O * H],
            DHeadBias = Bias ? new double[O] : null,
            DH0 = new double[L * B * H],
            DC0 = lstm ? new double[L * B * H] : null,
        };
        for (int l = 0; l < L; l++)
        {
            result.Layers[l] = new ReferenceLayerGradients
            {
                DWeightIh = new double[G * H * LayerInputSize(l)],
                DWeightHh = new double[G * H * H],
                DBiasIh = Bias ? new double[G * H] : null,
                DBiasHh = Bias ? new double[G * H] : null,
            };
        }

        // logits = V h + b:  dV += dlogits h^T,  db += dlogits,  dh += V^T dlogits.
        // The LanguageModel head reads h_t at every valid step (dy, (T, B, H)); the others read the
        // final h (dFinal, (B, H)), which is the state after step T−1, carried through the padding.
        var dy = new double[T * B * H];
        var dFinal = new double[B * H];
        if (Head == ReferenceHead.LanguageModel)
        {
            for (int t = 0; t < T; t++)
                for (int b = 0; b < B; b++)
                    if (t < batch.Lengths[b])
                        HeadBackward(tape.Outputs, (t * B + b) * H, tape.DLogits, (t * B + b) * O, dy, (t * B + b) * H, result);
        }
        else
        {
            for (int b = 0; b < B; b++)
                HeadBackward(tape.FinalH, ((L - 1) * B + b) * H, tape.DLogits, b * O, dFinal, b * H, result);
        }

        // Top to bottom: a layer's dx is the dy of the layer below.
        for (int l = L - 1; l >= 0; l--)
        {
            dy = LayerBackward(l, batch, tape, dy, l == L - 1 ? dFinal : null, result);
        }

        // Layer 0's input: x_t = Dense[t, b]  or  x_t = Embedding[token]  (a one-hot input has no gradient).
        if (Input == ReferenceInput.Dense)
        {
            result.DDense = dy;
        }
        else if (Input == ReferenceInput.Embedding)
        {
            int E = EmbeddingSize;
            for (int t = 0; t < T; t++)
                for (int b = 0; b < B; b++)
                    if (t < batch.Lengths[b])
                        for (int e = 0; e < E; e++)
                            result.DEmbedding![batch.Tokens![t * B + b] * E + e] += dy[(t * B + b) * E + e];
        }
        return result;
    }

    /// <summary>logits = V h + b, differentiated: dV += dlogits h^T, db += dlogits, dh = V^T dlogits.</summary>
    private void HeadBackward(double[] states, int offset, double[] dLogits, int dOffset, double[] dh, int dhOffset, ReferenceResult result)
    {
        int H = HiddenSize, O = OutputSize;
        for (int o = 0; o < O; o++)
        {
            double d = dLogits[dOffset + o];
            for (int j = 0; j < H; j++)
            {
                result.DHeadWeight[o * H + j] += d * states[offset + j];
                dh[dhOffset + j] += HeadWeight[o * H + j] * d;
            }
            if (result.DHeadBias != null)
                result.DHeadBias[o] += d;
        }
    }

    /// <summary>
    /// One layer backward over all steps, t = T−1 down to 0. dy is (T, B, H), dLoss/dh_t from
    /// above (the head or the next layer); dFinal is (B, H), dLoss/d(final h) from the head, or
    /// null. Returns dx, (T, B, In) (zeros for a one-hot input); adds into the layer's gradients and
    /// writes its rows of DH0 and DC0.
    /// </summary>
    private double[] LayerBackward(int l, ReferenceBatch batch, Tape tape, double[] dy, double[]? dFinal, ReferenceResult result)
    {
        int T = batch.T, B = batch.B, H = HiddenSize, G = Gates, In = LayerInputSize(l);
        var layer = Layers[l];
        var grads = result.Layers[l];
        var x = tape.X[l];
        var h = tape.Hs[l];
        var c = tape.Cs[l];
        var acts = tape.Acts[l];
        var hn = tape.Hn[l];
        bool oneHot = l == 0 && Input == ReferenceInput.OneHot;

        // dh (B, H): dLoss/dh_t through the later steps (and the final state); dc likewise for c.
        var dh = dFinal == null ? new double[B * H] : (double[])dFinal.Clone();
        var dc = new double[B * H];
        var dx = new double[T * B * In];
        var dgi = new double[G * H];
        var dgh = new double[G * H];
        var direct = new double[H];
        for (int t = T - 1; t >= 0; t--)
        {
            for (int b = 0; b < B; b++)
            {
                // Padding: h_t = h_{t−1} and c_t = c_{t−1}, so dh and dc pass through unchanged.
                if (t >= batch.Lengths[b])
                    continue;
                int step = t * B + b;
                int prev = (t * B + b) * H, next = ((t + 1) * B + b) * H, a = step * G * H, d = b * H;

                // h_t feeds the next step and the layer above (or the head): both gradients add.
                for (int j = 0; j < H; j++)
                    dh[d + j] += dy[step * H + j];

                for (int j = 0; j < H; j++)
                {
                    double dhNew = dh[d + j];
                    direct[j] = 0;
                    switch (Cell)
                    {
                        case ReferenceCell.RnnTanh:
                        {
                            // h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
                            double hNew = acts[a + j];
                            dgi[j] = dgh[j] = dhNew * (1 - hNew * hNew);
                            break;
                        }
                        case ReferenceCell.RnnRelu:
                        {
                            // h' = relu(W_ih x + b_ih + W_hh h + b_hh), relu'(0) = 0
                            double hNew = acts[a + j];
                            dgi[j] = dgh[j] = hNew > 0 ? dhNew : 0;
                            break;
                        }
                        case ReferenceCell.Gru:
                        {
                            double r = acts[a + j], z = acts[a + H + j], n = acts[a + 2 * H + j];
                            // h' = (1 − z) ⊙ n + z ⊙ h
                            double dn = dhNew * (1 - z);
                            double dz = dhNew * (h[prev + j] - n);
                            direct[j] = dhNew * z;
                            // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
                            double dnPre = dn * (1 - n * n);
                            dgi[2 * H + j] = dnPre;
                            dgh[2 * H + j] = dnPre * r;
                            double dr = dnPre * hn[step * H + j];
                            // z = σ(W_iz x + b_iz + W_hz h + b_hz)
                            dgi[H + j] = dgh[H + j] = dz * z * (1 - z);
                            // r = σ(W_ir x + b_ir + W_hr h + b_hr)
                            dgi[j] = dgh[j] = dr * r * (1 - r);
                            break;
                        }
                        case ReferenceCell.Lstm:
                        {
                            double i = acts[a + j], f = acts[a + H + j], g = acts[a + 2 * H + j], o = acts[a + 3 * H + j];
                            // h' = o ⊙ tanh(c')
                            double tanhC = Math.Tanh(c[next + j]);
                            double dO = dhNew * tanhC;
                            double dcNew = dc[d + j] + dhNew * o * (1 - tanhC * tanhC);
                            // c' = f ⊙ c + i ⊙ g
                            double dI = dcNew * g;
                            double dF = dcNew * c[prev + j];
                            double dG = dcNew * i;
                            dc[d + j] = dcNew * f;
                            // i = σ(..), f = σ(..), g = tanh(..), o = σ(..)
                            dgi[j] = dgh[j] = dI * i * (1 - i);
                            dgi[H + j] = dgh[H + j] = dF * f * (1 - f);
                            dgi[2 * H + j] = dgh[2 * H + j] = dG * (1 - g * g);
                            dgi[3 * H + j] = dgh[3 * H + j] = dO * o * (1 - o);
                            break;
                        }
                    }
                }

                // gi = W_ih x_t + b_ih:  dW_ih += dgi x_t^T,  db_ih += dgi,  dx_t = W_ih^T dgi
                // (for a one-hot x_t, dW_ih[:, x_t] += dgi, and x_t has no gradient)
                for (int k = 0; k < G * H; k++)
                {
                    if (oneHot)
                        grads.DWeightIh[k * In + batch.Tokens![step]] += dgi[k];
                    else
                        for (int i = 0; i < In; i++)
                            grads.DWeightIh[k * In + i] += dgi[k] * x[step * In + i];
                    if (grads.DBiasIh != null)
                        grads.DBiasIh[k] += dgi[k];
                }
                if (!oneHot)
                    for (int i = 0; i < In; i++)
                    {
                        double s = 0;
                        for (int k = 0; k < G * H; k++)
                            s += layer.WeightIh[k * In + i] * dgi[k];
                        dx[step * In + i] = s;
                    }

                // gh = W_hh h_{t−1} + b_hh:  dW_hh += dgh h_{t−1}^T,  db_hh += dgh,
                // dh_{t−1} = W_hh^T dgh (+ z ⊙ dh' for the GRU's direct path)
                for (int k = 0; k < G * H; k++)
                {
                    for (int i = 0; i < H; i++)
                        grads.DWeightHh[k * H + i] += dgh[k] * h[prev + i];
                    if (grads.DBiasHh != null)
                        grads.DBiasHh[k] += dgh[k];
                }
                for (int i = 0; i < H; i++)
                {
                    double s = direct[i];
                    for (int k = 0; k < G * H; k++)
                        s += layer.WeightHh[k * H + i] * dgh[k];
                    dh[d + i] = s;
                }
            }
        }

        // h_{-1} = H0, c_{-1} = C0.
        for (int b = 0; b < B; b++)
            for (int j = 0; j < H; j++)
            {
                result.DH0[(l * B + b) * H + j] = dh[b * H + j];
                if (result.DC0 != null)
                    result.DC0[(l * B + b) * H + j] = dc[b * H + j];
            }
        return dx;
    }

    // ---------------------------------------------------------------- validation

    private void Validate(ReferenceBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int T = batch.T, B = batch.B, H = HiddenSize, L = NumLayers, O = OutputSize;
        if (T < 1) throw new ArgumentException($"T must be at least 1, got {T}.", nameof(ReferenceBatch.T));
        if (B < 1) throw new ArgumentException($"B must be at least 1, got {B}.", nameof(ReferenceBatch.B));

        RequireLength(batch.Lengths, B, "(B)", nameof(ReferenceBatch.Lengths));
        for (int b = 0; b < B; b++)
            if (batch.Lengths[b] < 1 || batch.Lengths[b] > T)
                throw new ArgumentException($"Lengths[{b}] is {batch.Lengths[b]}, outside [1, T = {T}].", nameof(ReferenceBatch.Lengths));

        if (Input == ReferenceInput.Dense)
        {
            RequireLength(batch.Dense, T * B * InputSize, "(T, B, I)", nameof(ReferenceBatch.Dense));
        }
        else
        {
            RequireLength(batch.Tokens, T * B, "(T, B)", nameof(ReferenceBatch.Tokens));
            for (int s = 0; s < T * B; s++)
                if (batch.Tokens![s] < 0 || batch.Tokens[s] >= InputSize)
                    throw new ArgumentException($"Tokens[{s}] is {batch.Tokens[s]}, outside [0, C = {InputSize}).", nameof(ReferenceBatch.Tokens));
        }

        if (batch.H0 != null)
            RequireLength(batch.H0, L * B * H, "(L, B, H)", nameof(ReferenceBatch.H0));
        if (batch.C0 != null)
        {
            if (Cell != ReferenceCell.Lstm)
                throw new ArgumentException($"C0 is given, but a {Cell} cell has no cell state.", nameof(ReferenceBatch.C0));
            RequireLength(batch.C0, L * B * H, "(L, B, H)", nameof(ReferenceBatch.C0));
        }

        switch (Head)
        {
            case ReferenceHead.LanguageModel:
                // Targets at padded steps are not read (PyTorch pads them with ignore_index).
                RequireLength(batch.TokenTargets, T * B, "(T, B)", nameof(ReferenceBatch.TokenTargets));
                for (int t = 0; t < T; t++)
                    for (int b = 0; b < B; b++)
                        if (t < batch.Lengths[b] && (batch.TokenTargets![t * B + b] < 0 || batch.TokenTargets[t * B + b] >= O))
                            throw new ArgumentException($"TokenTargets[{t * B + b}] is {batch.TokenTargets[t * B + b]}, outside [0, O = {O}).",
                                                        nameof(ReferenceBatch.TokenTargets));
                break;
            case ReferenceHead.Classification:
                RequireLength(batch.ClassTargets, B, "(B)", nameof(ReferenceBatch.ClassTargets));
                for (int b = 0; b < B; b++)
                    if (batch.ClassTargets![b] < 0 || batch.ClassTargets[b] >= O)
                        throw new ArgumentException($"ClassTargets[{b}] is {batch.ClassTargets[b]}, outside [0, O = {O}).", nameof(ReferenceBatch.ClassTargets));
                break;
            case ReferenceHead.Regression:
                RequireLength(batch.ValueTargets, B * O, "(B, O)", nameof(ReferenceBatch.ValueTargets));
                break;
        }
    }

    private void RequireLength<TElement>(TElement[]? array, int length, string shape, string field)
    {
        if (array == null)
            throw new ArgumentException($"{field} is required here ({Input} input, {Head} head): shape {shape}, length {length}.", field);
        if (array.Length != length)
            throw new ArgumentException($"{field} has length {array.Length}; shape {shape} needs {length}.", field);
    }
}
