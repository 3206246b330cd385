// The micro-kernel contract: a is a packed (MR x kc) panel of op(A), stored p-major
// (a[p * MR + i]); b is a (kc x NR) panel of op(B) with row stride ldb (b[p * ldb + j]): a packed
// panel (ldb = NR) or NR whole columns of a row-major op(B) read in place; c is an (MR x NR) tile
// with row stride ldc. C tile = alpha * a * b + beta * C tile.
using System.Numerics;

namespace SimdRnn.Kernels;

/// <summary>An MR x NR register-blocked GEMM micro-kernel: C = alpha * A_panel * B_panel + beta * C.</summary>
/// <remarks>Implemented by structs so that <see cref="Gemm"/>'s generic driver is compiled once
/// per kernel with MR and NR as constants and the kernel call inlined or called directly.</remarks>
internal unsafe interface IGemmKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows of the register tile (the packed A panel height).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the register tile (the packed B panel width), a whole number of vectors.</summary>
    static abstract int NR { get; }

    /// <summary>C[i * ldc + j] = alpha * sum_p a[p * MR + i] * b[p * ldb + j] + beta * C[i * ldc + j]
    /// for i &lt; MR, j &lt; NR, p &lt; kc (kc &gt;= 1). With beta = 0, C is not read.</summary>
    static abstract void Run(int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, T beta);
}
