namespace SimdRnn.Reference;

/// <summary>
/// The seed's Elman RNN language model in plain double loops, written to be read, not to be
/// fast: the equations of DESIGN.md §1 line by line. It is the spec the fast path must equal.
///
///     s_t = tanh(U[:, x_t] + W s_{t-1}),  o_t = softmax(V s_t),  E = -Σ_t log o_t[y_t]
///
/// U is (H, C), V is (C, H), W is (H, H), stored as row-major arrays in the seed's shapes.
/// </summary>
public sealed class ReferenceRnn
{
    /// <summary>Vocabulary size.</summary>
    public int C { get; }
    /// <summary>Hidden size.</summary>
    public int H { get; }
    /// <summary>The seed's bptt_truncate: the error of output t flows back to t - K at most.</summary>
    public int BpttTruncate { get; set; }
    /// <summary>U, (H, C) row-major: U[i * C + j].</summary>
    public double[] U { get; }
    /// <summary>V, (C, H) row-major.</summary>
    public double[] V { get; }
    /// <summary>W, (H, H) row-major.</summary>
    public double[] W { get; }

    /// <summary>A model with zero weights; set U, V, W before use.</summary>
    public ReferenceRnn(int c, int h, int bpttTruncate)
    {
        C = c;
        H = h;
        BpttTruncate = bpttTruncate;
        U = new double[h * c];
        V = new double[c * h];
        W = new double[h * h];
    }

    /// <summary>The forward pass: o[t, k] = o_t[k] (T, C) and s[t + 1, i] = s_t[i] ((T+1), H) with s_{-1} = 0 in row 0.</summary>
    public (double[,] o, double[,] s) ForwardPropagation(int[] x)
    {
        int T = x.Length;
        var s = new double[T + 1, H];
        var o = new double[T, C];
        for (int t = 0; t < T; t++)
        {
            for (int i = 0; i < H; i++)
            {
                double z = U[i * C + x[t]];
                for (int j = 0; j < H; j++)
                    z += W[i * H + j] * s[t, j];
                s[t + 1, i] = Math.Tanh(z);
            }
            double max = double.NegativeInfinity;
            var logits = new double[C];
            for (int k = 0; k < C; k++)
            {
                for (int i = 0; i < H; i++)
                    logits[k] += V[k * H + i] * s[t + 1, i];
                max = Math.Max(max, logits[k]);
            }
            double sum = 0;
            for (int k = 0; k < C; k++)
                sum += Math.Exp(logits[k] - max);
            for (int k = 0; k < C; k++)
                o[t, k] = Math.Exp(logits[k] - max) / sum;
        }
        return (o, s);
    }

    /// <summary>E = -Σ_t log o_t[y_t] for one sentence.</summary>
    public double TotalLoss(int[] x, int[] y)
    {
        var (o, _) = ForwardPropagation(x);
        double e = 0;
        for (int t = 0; t < y.Length; t++)
            e -= Math.Log(o[t, y[t]]);
        return e;
    }

    /// <summary>The seed's bptt: gradients of E in the seed's shapes (dU (H, C), dV (C, H), dW (H, H)).</summary>
    public (double[] dU, double[] dV, double[] dW) Bptt(int[] x, int[] y)
    {
        int T = y.Length;
        var (o, s) = ForwardPropagation(x);
        var dU = new double[H * C];
        var dV = new double[C * H];
        var dW = new double[H * H];
        for (int t = T - 1; t >= 0; t--)
        {
            // do_t = o_t - onehot(y_t)
            var dO = new double[C];
            for (int k = 0; k < C; k++)
                dO[k] = o[t, k] - (k == y[t] ? 1 : 0);
            // dV += do_t s_t^T
            for (int k = 0; k < C; k++)
                for (int i = 0; i < H; i++)
                    dV[k * H + i] += dO[k] * s[t + 1, i];
            // d = (V^T do_t) * (1 - s_t^2)
            var d = new double[H];
            for (int i = 0; i < H; i++)
            {
                for (int k = 0; k < C; k++)
                    d[i] += V[k * H + i] * dO[k];
                d[i] *= 1 - s[t + 1, i] * s[t + 1, i];
            }
            for (int j = t; j >= Math.Max(0, t - BpttTruncate); j--)
            {
                // dW += d s_{j-1}^T   (s_{j-1} is row j of s)
                for (int a = 0; a < H; a++)
                    for (int b = 0; b < H; b++)
                        dW[a * H + b] += d[a] * s[j, b];
                // dU[:, x_j] += d
                for (int a = 0; a < H; a++)
                    dU[a * C + x[j]] += d[a];
                // d = (W^T d) * (1 - s_{j-1}^2)
                var next = new double[H];
                for (int b = 0; b < H; b++)
                {
                    for (int a = 0; a < H; a++)
                        next[b] += W[a * H + b] * d[a];
                    next[b] *= 1 - s[j, b] * s[j, b];
                }
                d = next;
            }
        }
        return (dU, dV, dW);
    }

    /// <summary>One SGD step on one sentence: θ -= learningRate * dE/dθ; returns E before the step.</summary>
    public double SgdStep(int[] x, int[] y, double learningRate)
    {
        double e = TotalLoss(x, y);
        var (dU, dV, dW) = Bptt(x, y);
        for (int i = 0; i < U.Length; i++) U[i] -= learningRate * dU[i];
        for (int i = 0; i < V.Length; i++) V[i] -= learningRate * dV[i];
        for (int i = 0; i < W.Length; i++) W[i] -= learningRate * dW[i];
        return e;
    }
}
