using System.Numerics;
using System.Numerics.Tensors;
using SimdRnn.Cells;
using SimdRnn.Kernels;
using SimdRnn.Memory;

namespace SimdRnn.Models;

/// <summary>
/// The seed's Elman RNN language model over a vocabulary of C tokens with H hidden units:
/// <code>
/// s_t = tanh(U x_t + W s_{t-1})    (s_{-1} = 0, x_t one-hot)
/// o_t = softmax(V s_t)
/// E   = -Σ_t log o_t[y_t]
/// </code>
/// trained by backpropagation through time with the seed's <see cref="BpttTruncate"/> and SGD.
/// Sentences are spans of token ids; y is x shifted by one. The model owns native memory:
/// dispose it. It is not thread-safe: one model, one thread at a time.
/// </summary>
/// <typeparam name="T">float (the fast path) or double (for gradient checks and users who need it).</typeparam>
public sealed class RnnLanguageModel<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RnnWorkspace<T> _workspace;
    private readonly int[] _rowStamp;
    private int _stamp;
    private int _bpttTruncate;
    private bool _disposed;

    /// <summary>
    /// A model initialised as in the tutorial from <paramref name="seed"/>: U ~ Uniform(±1/√C),
    /// V and W ~ Uniform(±1/√H), drawn in that order, each row-major in its seed shape.
    /// </summary>
    /// <param name="vocabularySize">C ≥ 1.</param>
    /// <param name="hiddenSize">H ≥ 1.</param>
    /// <param name="bpttTruncate">K ≥ 0; K ≥ T-1 is full BPTT. The tutorial's default is 4.</param>
    /// <param name="seed">Seed of the initialisation.</param>
    public RnnLanguageModel(int vocabularySize, int hiddenSize, int bpttTruncate = 4, int seed = 0)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"SimdRnn models run in float or double, not {typeof(T).Name}.");
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(bpttTruncate);
        VocabularySize = vocabularySize;
        HiddenSize = hiddenSize;
        _bpttTruncate = bpttTruncate;
        Weights = new RnnParameters<T>(vocabularySize, hiddenSize);
        Gradients = new RnnParameters<T>(vocabularySize, hiddenSize);
        _workspace = new RnnWorkspace<T>(vocabularySize, hiddenSize);
        _rowStamp = new int[vocabularySize];
        Initialise(seed);
    }

    /// <summary>C, the vocabulary size.</summary>
    public int VocabularySize { get; }

    /// <summary>H, the hidden size.</summary>
    public int HiddenSize { get; }

    /// <summary>The seed's bptt_truncate K: the error of output t flows back through steps t..t-K.
    /// Any K ≥ T-1 is full BPTT.</summary>
    public int BpttTruncate
    {
        get => _bpttTruncate;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _bpttTruncate = value;
        }
    }

    /// <summary>U, V and W, readable and writable in their seed shapes.</summary>
    public RnnParameters<T> Weights { get; }

    /// <summary>dE/dU, dE/dV and dE/dW of the last <see cref="Bptt"/>; after an <see cref="SgdStep"/>
    /// dE/dU and dE/dW of that step, but not dE/dV, which the step applies to V without writing it
    /// (see <see cref="SgdStep"/>). Read them; do not write them (the model keeps the rows of dU that
    /// the last sentence did not touch at zero without clearing them).</summary>
    public RnnParameters<T> Gradients { get; }

    /// <summary>
    /// The forward pass of the seed: <paramref name="o"/> receives o_t (T rows of C) and
    /// <paramref name="s"/> receives s_t (T rows of H), both row-major.
    /// </summary>
    public void ForwardPropagation(ReadOnlySpan<int> x, Span<T> o, Span<T> s)
    {
        ValidateTokens(x, nameof(x));
        int steps = x.Length;
        CheckLength(o.Length, steps * VocabularySize, nameof(o));
        CheckLength(s.Length, steps * HiddenSize, nameof(s));
        var logits = Forward(x);
        var states = _workspace.S(steps);
        for (int t = 0; t < steps; t++)
        {
            Softmax.InPlace(logits.Row(t));
            logits.Row(t).CopyTo(o.Slice(t * VocabularySize, VocabularySize));
            states.Row(t + 1).CopyTo(s.Slice(t * HiddenSize, HiddenSize));
        }
    }

    /// <summary>The most probable next token at every step: predictions[t] = argmax o_t.</summary>
    public void Predict(ReadOnlySpan<int> x, Span<int> predictions)
    {
        ValidateTokens(x, nameof(x));
        CheckLength(predictions.Length, x.Length, nameof(predictions));
        var logits = Forward(x);
        for (int t = 0; t < x.Length; t++)
            predictions[t] = TensorPrimitives.IndexOfMax<T>(logits.Row(t));
    }

    /// <summary>E = -Σ_t log o_t[y_t] for one sentence.</summary>
    public double TotalLoss(ReadOnlySpan<int> x, ReadOnlySpan<int> y)
    {
        ValidateSentence(x, y);
        return Loss(Forward(x), y);
    }

    /// <summary>E summed over a corpus of sentences.</summary>
    public double TotalLoss(IReadOnlyList<int[]> xs, IReadOnlyList<int[]> ys)
    {
        CheckCorpus(xs, ys);
        double total = 0;
        for (int n = 0; n < xs.Count; n++)
            total += TotalLoss(xs[n], ys[n]);
        return total;
    }

    /// <summary>The tutorial's calculate_loss: E over the corpus divided by its number of tokens.</summary>
    public double MeanLoss(IReadOnlyList<int[]> xs, IReadOnlyList<int[]> ys)
    {
        double total = TotalLoss(xs, ys);
        long tokens = 0;
        foreach (var y in ys) tokens += y.Length;
        return total / tokens;
    }

    /// <summary>
    /// Backpropagation through time with <see cref="BpttTruncate"/>, exactly as the seed defines
    /// it: the error of output t reaches steps t, t-1, ..., max(0, t-K). Leaves dE/dU, dE/dV and
    /// dE/dW in <see cref="Gradients"/> and returns E.
    /// </summary>
    public double Bptt(ReadOnlySpan<int> x, ReadOnlySpan<int> y)
    {
        ValidateSentence(x, y);
        return Backward(x, y, T.Zero);
    }

    /// <summary>
    /// One SGD step on one sentence, θ -= learningRate · dE/dθ, and returns E before it.
    /// Only the rows of U that the sentence uses change. V, the largest parameter, is updated by
    /// the GEMM that computes dE/dV (V -= learningRate · dO^T S): dE/dV is never stored, so
    /// <see cref="Gradients"/>.V is not that of this step (call <see cref="Bptt"/> to read it).
    /// </summary>
    /// <exception cref="NonFiniteLossException">E is NaN or infinite; no weight was changed.</exception>
    public double SgdStep(ReadOnlySpan<int> x, ReadOnlySpan<int> y, T learningRate)
    {
        ValidateSentence(x, y);
        if (!T.IsFinite(learningRate) || learningRate <= T.Zero)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive and finite.");
        double loss = Backward(x, y, learningRate);
        TensorPrimitives.MultiplyAdd(Gradients.WFlat, -learningRate, Weights.WFlat, Weights.WFlat);
        // The gradient of U lives in the rows of the sentence's tokens; a repeated token must be
        // updated once, so each row is stamped with the step that updated it.
        _stamp++;
        var u = Weights.U;
        var du = Gradients.U;
        foreach (int row in _workspace.TouchedRows.AsSpan(0, _workspace.TouchedCount))
        {
            if (_rowStamp[row] == _stamp) continue;
            _rowStamp[row] = _stamp;
            TensorPrimitives.MultiplyAdd(du.Row(row), -learningRate, u.Row(row), u.Row(row));
        }
        return loss;
    }

    /// <summary>
    /// Generates a sentence as the tutorial does: from <paramref name="startToken"/>, sample each next
    /// token from o_t until <paramref name="endToken"/> or <paramref name="maxLength"/> tokens.
    /// Returns the tokens between start and end. A <paramref name="forbiddenToken"/> (the tutorial's
    /// unknown token; -1 for none) is never sampled: its probability is set to zero.
    /// </summary>
    public int[] Generate(int startToken, int endToken, int maxLength, Random random, int forbiddenToken = -1)
    {
        ThrowIfDisposed();
        CheckToken(startToken, nameof(startToken));
        CheckToken(endToken, nameof(endToken));
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        ArgumentNullException.ThrowIfNull(random);
        if (forbiddenToken != -1) CheckToken(forbiddenToken, nameof(forbiddenToken));
        _workspace.Reserve(1);
        var state = _workspace.State;
        var o = _workspace.Logits.Slice(0, VocabularySize);
        state.Row(0).Clear();
        var sentence = new List<int>();
        int token = startToken;
        while (sentence.Count < maxLength)
        {
            // s = tanh(U x + W s); o = softmax(V s)
            Weights.U.Row(token).CopyTo(state.Row(1));
            Gemv.Multiply(state.Row(1), Weights.W, state.Row(0), T.One);
            TensorPrimitives.Tanh<T>(state.Row(1), state.Row(0));
            Gemv.Multiply(o, Weights.V, state.Row(0), T.Zero);
            Softmax.InPlace(o);
            if (forbiddenToken != -1) o[forbiddenToken] = T.Zero;
            token = Sample(o, random);
            if (token == endToken) break;
            sentence.Add(token);
        }
        return [.. sentence];
    }

    /// <summary>Frees the native memory of the weights, gradients and workspace.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Weights.Dispose();
        Gradients.Dispose();
        _workspace.Dispose();
    }

    /// <summary>Runs the recurrence and the output layer; returns the (T, C) logits.</summary>
    private MatrixSpan<T> Forward(ReadOnlySpan<int> x)
    {
        int steps = x.Length;
        _workspace.Reserve(steps);
        var s = _workspace.S(steps);
        var states = s.Slice(1, steps);
        // a_t = U x_t is a row of the U table; the cell then adds W s_{t-1} and applies tanh.
        OneHot.Gather(states, Weights.U, x);
        ElmanTanh.Forward(s, Weights.W);
        // The output layer for all steps at once: O = S V^T, one GEMM.
        var logits = _workspace.O(steps);
        Gemm.Multiply(logits, states, false, Weights.V, true, T.One, T.Zero);
        return logits;
    }

    /// <summary>E, leaving dE/dlogits = o_t - onehot(y_t) in the logits.</summary>
    private static double Loss(MatrixSpan<T> logits, ReadOnlySpan<int> y)
    {
        double loss = 0;
        for (int t = 0; t < y.Length; t++)
            loss += double.CreateTruncating(SoftmaxCrossEntropy.ForwardBackward(logits.Row(t), y[t]));
        return loss;
    }

    /// <summary>
    /// Forward and BPTT, leaving dE/dU and dE/dW in <see cref="Gradients"/>. With a zero
    /// <paramref name="vStep"/> dE/dV goes to Gradients.V; otherwise V -= vStep · dE/dV is applied
    /// in place as one GEMM (dE/dV is never written), after dS = dO V has read the old V, and
    /// only once the loss is known to be finite.
    /// </summary>
    /// <exception cref="NonFiniteLossException">vStep is not zero and E is NaN or infinite; V is unchanged.</exception>
    private double Backward(ReadOnlySpan<int> x, ReadOnlySpan<int> y, T vStep)
    {
        int steps = x.Length;
        var du = Gradients.U;
        foreach (int row in _workspace.TouchedRows.AsSpan(0, _workspace.TouchedCount))
            du.Row(row).Clear();
        _workspace.TouchedCount = 0;

        var dO = Forward(x);
        double loss = Loss(dO, y);
        if (vStep != T.Zero && !double.IsFinite(loss))
            throw new NonFiniteLossException($"The loss of this sentence is {loss}; the weights were left as they were.");
        var s = _workspace.S(steps);
        var states = s.Slice(1, steps);
        var previousStates = s.Slice(0, steps);
        var v = Weights.V;

        // V^T do_t for all t = dO V, and dV = Σ_t do_t s_t^T = dO^T S: two GEMMs over all steps,
        // the second one straight into V when the step is fused (V -= vStep · dO^T S).
        var dS = _workspace.DS(steps);
        Gemm.Multiply(dS, dO, false, v, false, T.One, T.Zero);
        if (vStep == T.Zero)
            Gemm.Multiply(Gradients.V, dO, true, states, false, T.One, T.Zero);
        else
            Gemm.Multiply(v, dO, true, states, false, -vStep, T.One);

        // d = (V^T do_t) ⊙ (1 − s_t^2), the error injected at each step.
        var delta = _workspace.Delta(steps);
        for (int t = 0; t < steps; t++)
        {
            delta.Row(t).Clear();
            TanhBackward.Accumulate(delta.Row(t), dS.Row(t), states.Row(t));
        }
        ElmanTanh.Backward(delta, s, Weights.W, _bpttTruncate, _workspace.InFlight, _workspace.Pushed, _workspace.PackedW);

        // dW = Σ_j Δ_j s_{j-1}^T = Δ^T S_prev, one GEMM; dU[:, x_j] += Δ_j, one scatter.
        Gemm.Multiply(Gradients.W, delta, true, previousStates, false, T.One, T.Zero);
        OneHot.ScatterAdd(du, delta, x);
        x.CopyTo(_workspace.TouchedRows);
        _workspace.TouchedCount = steps;
        return loss;
    }

    private static int Sample(ReadOnlySpan<T> probabilities, Random random)
    {
        double total = 0;
        foreach (var p in probabilities) total += double.CreateTruncating(p);
        double u = random.NextDouble() * total, cumulative = 0;
        int last = 0;
        for (int k = 0; k < probabilities.Length; k++)
        {
            double p = double.CreateTruncating(probabilities[k]);
            if (p <= 0) continue;
            cumulative += p;
            last = k;
            if (u < cumulative) return k;
        }
        return last;
    }

    private void Initialise(int seed)
    {
        var random = new Random(seed);
        foreach (var parameter in new[] { RnnParameter.U, RnnParameter.V, RnnParameter.W })
        {
            var (rows, cols) = Weights.Shape(parameter);
            int fanIn = parameter == RnnParameter.U ? VocabularySize : HiddenSize;
            double bound = 1.0 / Math.Sqrt(fanIn);
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    Weights[parameter, i, j] = T.CreateTruncating((2 * random.NextDouble() - 1) * bound);
        }
    }

    /// <summary>Throws as <see cref="SgdStep"/> would for a bad sentence, without computing anything.</summary>
    internal void ValidateSentence(ReadOnlySpan<int> x, ReadOnlySpan<int> y)
    {
        ValidateTokens(x, nameof(x));
        if (y.Length != x.Length)
            throw new ArgumentException($"y has {y.Length} tokens but x has {x.Length}; y must be x shifted by one.", nameof(y));
        ValidateTokens(y, nameof(y));
    }

    private void ValidateTokens(ReadOnlySpan<int> tokens, string argument)
    {
        ThrowIfDisposed();
        if (tokens.IsEmpty)
            throw new ArgumentException("A sentence needs at least one token.", argument);
        for (int t = 0; t < tokens.Length; t++)
            if ((uint)tokens[t] >= (uint)VocabularySize)
                throw new ArgumentOutOfRangeException(argument, tokens[t], $"Token {t} is {tokens[t]}, outside the vocabulary [0, {VocabularySize}).");
    }

    private void CheckToken(int token, string argument)
    {
        if ((uint)token >= (uint)VocabularySize)
            throw new ArgumentOutOfRangeException(argument, token, $"The token must be in [0, {VocabularySize}).");
    }

    internal static void CheckCorpus(IReadOnlyList<int[]> xs, IReadOnlyList<int[]> ys)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        if (xs.Count != ys.Count)
            throw new ArgumentException($"There are {xs.Count} inputs but {ys.Count} targets.", nameof(ys));
        if (xs.Count == 0)
            throw new ArgumentException("The corpus is empty.", nameof(xs));
    }

    private static void CheckLength(int length, int needed, string argument)
    {
        if (length != needed)
            throw new ArgumentException($"{argument} has length {length}; it must be {needed}.", argument);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
