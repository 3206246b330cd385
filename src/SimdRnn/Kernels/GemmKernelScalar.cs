// The scalar micro-kernel: a is a packed (4 x kc) panel of op(A), b a (kc x 4) panel of
// op(B) with row stride ldb, c a (4 x 4) tile of C. C tile = alpha * a * b + beta * C tile.
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SimdRnn.Kernels;

/// <summary>C (4 x 4) = alpha * A_panel (4 x kc) * B_panel (kc x 4) + beta * C, in scalar code.</summary>
/// <remarks>The fallback when no vector width is accelerated. x64 has 16 xmm registers: 16
/// accumulators would leave none for the operands, so the JIT spills a few, but the 4 x 4 tile
/// still reads each packed element once per 4 multiply-adds, which is what makes it faster than
/// a plain loop. Multiply and add stay separate: without hardware FMA a fused call is emulated.</remarks>
[SkipLocalsInit]
internal unsafe struct GemmKernelScalar<T> : IGemmKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 4;

    public static int NR => 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, nint ldb, T* c, nint ldc, T alpha, T beta)
    {
        T c00 = T.Zero, c01 = T.Zero, c02 = T.Zero, c03 = T.Zero;
        T c10 = T.Zero, c11 = T.Zero, c12 = T.Zero, c13 = T.Zero;
        T c20 = T.Zero, c21 = T.Zero, c22 = T.Zero, c23 = T.Zero;
        T c30 = T.Zero, c31 = T.Zero, c32 = T.Zero, c33 = T.Zero;
        for (int p = 0; p < kc; p++)
        {
            T b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            T a0 = a[0]; c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            T a1 = a[1]; c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            T a2 = a[2]; c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            T a3 = a[3]; c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            a += 4;
            b += ldb;
        }
        if (beta == T.Zero)
        {
            T* c0 = c + 0 * ldc; c0[0] = alpha * c00; c0[1] = alpha * c01; c0[2] = alpha * c02; c0[3] = alpha * c03;
            T* c1 = c + 1 * ldc; c1[0] = alpha * c10; c1[1] = alpha * c11; c1[2] = alpha * c12; c1[3] = alpha * c13;
            T* c2 = c + 2 * ldc; c2[0] = alpha * c20; c2[1] = alpha * c21; c2[2] = alpha * c22; c2[3] = alpha * c23;
            T* c3 = c + 3 * ldc; c3[0] = alpha * c30; c3[1] = alpha * c31; c3[2] = alpha * c32; c3[3] = alpha * c33;
        }
        else
        {
            T* c0 = c + 0 * ldc; c0[0] = alpha * c00 + beta * c0[0]; c0[1] = alpha * c01 + beta * c0[1]; c0[2] = alpha * c02 + beta * c0[2]; c0[3] = alpha * c03 + beta * c0[3];
            T* c1 = c + 1 * ldc; c1[0] = alpha * c10 + beta * c1[0]; c1[1] = alpha * c11 + beta * c1[1]; c1[2] = alpha * c12 + beta * c1[2]; c1[3] = alpha * c13 + beta * c1[3];
            T* c2 = c + 2 * ldc; c2[0] = alpha * c20 + beta * c2[0]; c2[1] = alpha * c21 + beta * c2[1]; c2[2] = alpha * c22 + beta * c2[2]; c2[3] = alpha * c23 + beta * c2[3];
            T* c3 = c + 3 * ldc; c3[0] = alpha * c30 + beta * c3[0]; c3[1] = alpha * c31 + beta * c3[1]; c3[2] = alpha * c32 + beta * c3[2]; c3[3] = alpha * c33 + beta * c3[3];
        }
    }
}
