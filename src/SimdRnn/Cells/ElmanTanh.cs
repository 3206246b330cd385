using System.Numerics;
using System.Numerics.Tensors;
using SimdRnn.Kernels;
using SimdRnn.Memory;
using SimdRnn.Threading;

namespace SimdRnn.Cells;

/// <summary>
/// The recurrence of the seed's Elman cell, s_t = tanh(a_t + W s_{t-1}), where a_t is the input
/// projection (U x_t). Only this part of the model is sequential; everything before and after it
/// is batched over time by the caller.
/// </summary>
internal static class ElmanTanh
{
    /// <summary>
    /// s_t = tanh(a_t + W s_{t-1}) for t = 0..T-1.
    /// s is (T+1, H): row 0 holds s_{-1}, row t+1 holds a_t on entry and s_t on exit. W is (H, H).
    /// </summary>
    public static void Forward<T>(MatrixSpan<T> s, ReadOnlyMatrixSpan<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int t = 1; t < s.Rows; t++)
        {
            var st = s.Row(t);
            Gemv.Multiply(st, w, s.Row(t - 1), T.One);
            TensorPrimitives.Tanh<T>(st, st);
        }
    }

    /// <summary>
    /// Backward through time with the seed's truncation K: the error injected at step t flows
    /// back through steps t, t-1, ..., max(0, t-K), each hop being d ← (W^T d) ⊙ (1 − s_{j-1}^2).
    /// delta is (T, H): on entry row t holds the error injected at t, (V^T do_t) ⊙ (1 − s_t^2);
    /// on exit it holds Δ_j, the sum of all errors that reach step j, from which
    /// dW = Σ_j Δ_j s_{j-1}^T and dU[:, x_j] += Δ_j follow as one GEMM and one scatter.
    /// s is (T+1, H) as left by <see cref="Forward"/>. inFlight and pushed are scratch of at
    /// least min(K+1, T) rows of H; packedW is scratch for W's GEMM panels.
    /// </summary>
    public static void Backward<T>(MatrixSpan<T> delta, ReadOnlyMatrixSpan<T> s, ReadOnlyMatrixSpan<T> w, int truncate,
                                   MatrixSpan<T> inFlight, MatrixSpan<T> pushed, PackedMatrix<T> packedW)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = delta.Rows;
        if (truncate >= steps - 1)
            BackwardFull(delta, s, w, pushed.Slice(0, 1));
        else
            BackwardTruncated(delta, s, w, truncate, inFlight.Slice(0, truncate + 1), pushed.Slice(0, truncate + 1), packedW);
    }

    /// <summary>
    /// Full BPTT: nothing is ever dropped, so by linearity the errors in flight can be carried as
    /// their sum: Δ_{j-1} += (Δ_j W) ⊙ (1 − s_{j-1}^2), one vector-matrix product per step.
    /// </summary>
    private static void BackwardFull<T>(MatrixSpan<T> delta, ReadOnlyMatrixSpan<T> s, ReadOnlyMatrixSpan<T> w, MatrixSpan<T> pushed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = delta.Rows - 1; j > 0; j--)
        {
            Gemm.Multiply(pushed, delta.Slice(j, 1), false, w, false, T.One, T.Zero);
            TanhBackward.Accumulate(delta.Row(j - 1), pushed.Row(0), s.Row(j));
        }
    }

    /// <summary>
    /// Truncated BPTT: the errors in flight at step j are those injected at t = j..j+K, each of
    /// which must be dropped after K hops, so they are carried apart, as the K+1 rows of one
    /// block that is pushed through W^T by one GEMM per step. The error injected at t lives in
    /// row t mod (K+1); the row that has made its K hops is exactly the one the next injection
    /// overwrites. A block of more than <see cref="GemmSmall.MaxRows"/> rows takes the packed
    /// GEMM, so W is packed once for the whole sweep rather than at every step.
    /// </summary>
    private static void BackwardTruncated<T>(MatrixSpan<T> delta, ReadOnlyMatrixSpan<T> s, ReadOnlyMatrixSpan<T> w, int truncate,
                                             MatrixSpan<T> inFlight, MatrixSpan<T> pushed, PackedMatrix<T> packedW)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = truncate + 1;
        bool packed = rows > GemmSmall.MaxRows;
        if (packed)
            packedW.Pack(w, false, rows);
        for (int r = 0; r < rows; r++) inFlight.Row(r).Clear();
        for (int j = delta.Rows - 1; j >= 0; j--)
        {
            var deltaJ = delta.Row(j);
            deltaJ.CopyTo(inFlight.Row(j % rows));
            for (int r = 0; r < rows; r++)
            {
                if (r == j % rows) continue;
                TensorPrimitives.Add(deltaJ, inFlight.Row(r), deltaJ);
            }
            if (j == 0) break;
            if (packed)
                Gemm.Multiply(pushed, inFlight, false, packedW, T.One, T.Zero, ThreadTeam.Single);
            else
                Gemm.Multiply(pushed, inFlight, false, w, false, T.One, T.Zero);
            var previousState = s.Row(j); // s_{j-1}
            for (int r = 0; r < rows; r++)
            {
                inFlight.Row(r).Clear();
                TanhBackward.Accumulate(inFlight.Row(r), pushed.Row(r), previousState);
            }
        }
    }
}
