using System.Numerics;
using System.Numerics.Tensors;
using SimdRnn.Kernels;

namespace SimdRnn.Cells;

/// <summary>One row (one sequence, one step) of the Elman cell: h' = act(ih + hh), where
/// ih = W_ih x + b_ih and hh = W_hh h + b_hh come from the layer's GEMMs. All spans are H long.</summary>
internal static class RnnCell
{
    /// <summary>h' = tanh(ih + hh), or relu(ih + hh).</summary>
    public static void Forward<T>(Span<T> h, ReadOnlySpan<T> ih, ReadOnlySpan<T> hh, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Add(ih, hh, h);
        if (relu) TensorPrimitives.Max(h, T.Zero, h);
        else TensorPrimitives.Tanh<T>(h, h);
    }

    /// <summary>dpre = dh ⊙ act'(pre), written from h' = act(pre): tanh' = 1 − h'^2; relu' = [h' &gt; 0].
    /// dpre is both dIH and dHH, since pre = ih + hh.</summary>
    public static void Backward<T>(Span<T> dPre, ReadOnlySpan<T> dh, ReadOnlySpan<T> h, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (relu)
        {
            int j = 0;
            if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
                for (; j <= dPre.Length - Vector<T>.Count; j += Vector<T>.Count)
                    Vector.ConditionalSelect(Vector.GreaterThan(new Vector<T>(h[j..]), Vector<T>.Zero), new Vector<T>(dh[j..]), Vector<T>.Zero).CopyTo(dPre[j..]);
            for (; j < dPre.Length; j++)
                dPre[j] = h[j] > T.Zero ? dh[j] : T.Zero;
            return;
        }
        dPre.Clear();
        TanhBackward.Accumulate(dPre, dh, h);
    }
}
