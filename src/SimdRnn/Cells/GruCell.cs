using System.Numerics;
using SimdRnn.Kernels;

namespace SimdRnn.Cells;

/// <summary>
/// One row of the GRU (PyTorch's equations, gate blocks r, z, n):
/// <code>
/// r = σ(ih_r + hh_r);  z = σ(ih_z + hh_z);  n = tanh(ih_n + r ⊙ hh_n);  h' = (1 − z) ⊙ n + z ⊙ h
/// </code>
/// where ih = W_ih x + b_ih and hh = W_hh h + b_hh (3H each), so b_hn sits inside r ⊙ (…); only
/// the sums ih_r + hh_r and ih_z + hh_z matter, so the layer may carry b_hr and b_hz in ih.
/// The forward keeps r, z, n and hh_n in a 4H row for the backward.
/// </summary>
internal static class GruCell
{
    /// <summary>Saved row width in units of H: r, z, n, hh_n.</summary>
    public const int SavedBlocks = 4;

    public static void Forward<T>(Span<T> h, Span<T> saved, ReadOnlySpan<T> ih, ReadOnlySpan<T> hh, ReadOnlySpan<T> hPrev)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = h.Length, j = 0;
        // One fused pass over the units, with the scalar loop below (also the spec) for the tail.
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; j <= n - Vector<T>.Count; j += Vector<T>.Count)
            {
                var r = Activation.Sigmoid(new Vector<T>(ih[j..]) + new Vector<T>(hh[j..]));
                var z = Activation.Sigmoid(new Vector<T>(ih[(n + j)..]) + new Vector<T>(hh[(n + j)..]));
                var hhN = new Vector<T>(hh[(2 * n + j)..]);
                var g = Activation.Tanh(new Vector<T>(ih[(2 * n + j)..]) + r * hhN);
                r.CopyTo(saved[j..]);
                z.CopyTo(saved[(n + j)..]);
                g.CopyTo(saved[(2 * n + j)..]);
                hhN.CopyTo(saved[(3 * n + j)..]);
                (g + z * (new Vector<T>(hPrev[j..]) - g)).CopyTo(h[j..]);
            }
        }
        for (; j < n; j++)
        {
            // r, z = σ(ih + hh);  n = tanh(ih_n + r ⊙ hh_n);  h' = (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n)
            T r = Activation.Sigmoid(ih[j] + hh[j]);
            T z = Activation.Sigmoid(ih[n + j] + hh[n + j]);
            T hhN = hh[2 * n + j];
            T g = T.Tanh(ih[2 * n + j] + r * hhN);
            (saved[j], saved[n + j], saved[2 * n + j], saved[3 * n + j]) = (r, z, g, hhN);
            h[j] = g + z * (hPrev[j] - g);
        }
    }

    /// <summary>
    /// From dh = dE/dh', writes dIH = dE/d(ih) and dHH = dE/d(hh) (3H each) and the direct part of
    /// dE/dh, dhPrev = dh ⊙ z (the path through W_hh is added by the layer's GEMM).
    /// </summary>
    public static void Backward<T>(Span<T> dIH, Span<T> dHH, Span<T> dhPrev, ReadOnlySpan<T> dh, ReadOnlySpan<T> saved, ReadOnlySpan<T> hPrev)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = dh.Length, j = 0;
        // One fused pass with Vector<T>; the scalar loop below is the spec and does the tail.
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var one = Vector<T>.One;
            for (; j <= n - Vector<T>.Count; j += Vector<T>.Count)
            {
                var r = new Vector<T>(saved[j..]);
                var z = new Vector<T>(saved[(n + j)..]);
                var g = new Vector<T>(saved[(2 * n + j)..]);
                var hn = new Vector<T>(saved[(3 * n + j)..]);
                var dhj = new Vector<T>(dh[j..]);
                (dhj * z).CopyTo(dhPrev[j..]);
                var dnPre = dhj * (one - z) * (one - g * g);
                var drPre = dnPre * hn * r * (one - r);
                var dzPre = dhj * (new Vector<T>(hPrev[j..]) - g) * z * (one - z);
                drPre.CopyTo(dIH[j..]);
                drPre.CopyTo(dHH[j..]);
                dzPre.CopyTo(dIH[(n + j)..]);
                dzPre.CopyTo(dHH[(n + j)..]);
                dnPre.CopyTo(dIH[(2 * n + j)..]);
                (dnPre * r).CopyTo(dHH[(2 * n + j)..]);
            }
        }
        for (; j < n; j++)
        {
            T r = saved[j], z = saved[n + j], g = saved[2 * n + j], hn = saved[3 * n + j];
            // h' = (1 − z) ⊙ n + z ⊙ h
            T dn = dh[j] * (T.One - z);
            T dz = dh[j] * (hPrev[j] - g);
            dhPrev[j] = dh[j] * z;
            // n = tanh(ih_n + r ⊙ hh_n)
            T dnPre = dn * (T.One - g * g);
            T dr = dnPre * hn;
            // r = σ(ih_r + hh_r), z = σ(ih_z + hh_z)
            T drPre = dr * r * (T.One - r);
            T dzPre = dz * z * (T.One - z);
            dIH[j] = drPre;
            dHH[j] = drPre;
            dIH[n + j] = dzPre;
            dHH[n + j] = dzPre;
            dIH[2 * n + j] = dnPre;
            dHH[2 * n + j] = dnPre * r;
        }
    }
}
