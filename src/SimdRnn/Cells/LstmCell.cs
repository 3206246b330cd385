using System.Numerics;
using SimdRnn.Kernels;

namespace SimdRnn.Cells;

/// <summary>
/// One row of the LSTM (PyTorch's equations, gate blocks i, f, g, o):
/// <code>
/// i = σ(a_i);  f = σ(a_f);  g = tanh(a_g);  o = σ(a_o);  c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c')
/// </code>
/// where a = ih + hh = W_ih x + b_ih + W_hh h + b_hh (4H). The forward keeps i, f, g, o and
/// tanh(c') in a 5H row, so the backward needs no transcendental function.
/// </summary>
internal static class LstmCell
{
    /// <summary>Saved row width in units of H: i, f, g, o, tanh(c').</summary>
    public const int SavedBlocks = 5;

    public static void Forward<T>(Span<T> h, Span<T> c, Span<T> gates, ReadOnlySpan<T> ih, ReadOnlySpan<T> hh, ReadOnlySpan<T> cPrev)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = h.Length, j = 0;
        // One fused pass: the four gates, c' and h' per vector of units, with the scalar loop below
        // (also the spec) for the tail.
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; j <= n - Vector<T>.Count; j += Vector<T>.Count)
            {
                var i = Activation.Sigmoid(new Vector<T>(ih[j..]) + new Vector<T>(hh[j..]));
                var f = Activation.Sigmoid(new Vector<T>(ih[(n + j)..]) + new Vector<T>(hh[(n + j)..]));
                var g = Activation.Tanh(new Vector<T>(ih[(2 * n + j)..]) + new Vector<T>(hh[(2 * n + j)..]));
                var o = Activation.Sigmoid(new Vector<T>(ih[(3 * n + j)..]) + new Vector<T>(hh[(3 * n + j)..]));
                var cNew = f * new Vector<T>(cPrev[j..]) + i * g;
                var tanhC = Activation.Tanh(cNew);
                i.CopyTo(gates[j..]);
                f.CopyTo(gates[(n + j)..]);
                g.CopyTo(gates[(2 * n + j)..]);
                o.CopyTo(gates[(3 * n + j)..]);
                tanhC.CopyTo(gates[(4 * n + j)..]);
                cNew.CopyTo(c[j..]);
                (o * tanhC).CopyTo(h[j..]);
            }
        }
        for (; j < n; j++)
        {
            T i = Activation.Sigmoid(ih[j] + hh[j]);
            T f = Activation.Sigmoid(ih[n + j] + hh[n + j]);
            T g = T.Tanh(ih[2 * n + j] + hh[2 * n + j]);
            T o = Activation.Sigmoid(ih[3 * n + j] + hh[3 * n + j]);
            // c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c')
            T cNew = f * cPrev[j] + i * g, tanhC = T.Tanh(cNew);
            (gates[j], gates[n + j], gates[2 * n + j], gates[3 * n + j], gates[4 * n + j]) = (i, f, g, o, tanhC);
            c[j] = cNew;
            h[j] = o * tanhC;
        }
    }

    /// <summary>
    /// From dh = dE/dh' and dc = dE/dc' (the part that reached c' from the future), writes
    /// dA = dE/da (4H; it is both dIH and dHH) and overwrites dc with dE/dc, the carry to the
    /// step before.
    /// </summary>
    public static void Backward<T>(Span<T> dA, Span<T> dc, ReadOnlySpan<T> dh, ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrev)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = dh.Length, j = 0;
        // One fused pass: every gate's derivative from the saved activations, with Vector<T> (the
        // widest vector the runtime prefers) and the scalar loop below, which is also the spec, for the tail.
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var one = Vector<T>.One;
            for (; j <= n - Vector<T>.Count; j += Vector<T>.Count)
            {
                var i = new Vector<T>(gates[j..]);
                var f = new Vector<T>(gates[(n + j)..]);
                var g = new Vector<T>(gates[(2 * n + j)..]);
                var o = new Vector<T>(gates[(3 * n + j)..]);
                var tc = new Vector<T>(gates[(4 * n + j)..]);
                var dhj = new Vector<T>(dh[j..]);
                var dC = new Vector<T>(dc[j..]) + dhj * o * (one - tc * tc);
                (dC * f).CopyTo(dc[j..]);
                (dC * g * i * (one - i)).CopyTo(dA[j..]);
                (dC * new Vector<T>(cPrev[j..]) * f * (one - f)).CopyTo(dA[(n + j)..]);
                (dC * i * (one - g * g)).CopyTo(dA[(2 * n + j)..]);
                (dhj * tc * o * (one - o)).CopyTo(dA[(3 * n + j)..]);
            }
        }
        for (; j < n; j++)
        {
            T i = gates[j], f = gates[n + j], g = gates[2 * n + j], o = gates[3 * n + j];
            T tc = gates[4 * n + j];
            // h' = o ⊙ tanh(c')
            T dO = dh[j] * tc;
            T dC = dc[j] + dh[j] * o * (T.One - tc * tc);
            // c' = f ⊙ c + i ⊙ g
            T dI = dC * g, dF = dC * cPrev[j], dG = dC * i;
            dc[j] = dC * f;
            // i, f, o = σ(a); g = tanh(a)
            dA[j] = dI * i * (T.One - i);
            dA[n + j] = dF * f * (T.One - f);
            dA[2 * n + j] = dG * (T.One - g * g);
            dA[3 * n + j] = dO * o * (T.One - o);
        }
    }
}
