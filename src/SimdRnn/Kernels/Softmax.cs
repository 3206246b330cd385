using System.Numerics;
using System.Numerics.Tensors;

namespace SimdRnn.Kernels;

/// <summary>Softmax of one row, in place: p_j = exp(z_j − max z) / Σ_k exp(z_k − max z).</summary>
internal static class Softmax
{
    /// <summary>
    /// Replaces z (length C ≥ 1) by softmax(z) and returns log Σ_k exp(z_k), computed as
    /// max z + log Σ_k exp(z_k − max z) so that no exponential overflows.
    /// </summary>
    public static T InPlace<T>(Span<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (z.IsEmpty) throw new ArgumentException("Softmax of an empty row is undefined.", nameof(z));
        // The row is at most a few tens of KB, so these passes run out of L1; TensorPrimitives'
        // vectorised Exp is worth more than fusing them.
        T max = TensorPrimitives.Max<T>(z);
        TensorPrimitives.Subtract(z, max, z);
        TensorPrimitives.Exp<T>(z, z);
        T sum = TensorPrimitives.Sum<T>(z);
        TensorPrimitives.Multiply(z, T.One / sum, z);
        return max + T.Log(sum);
    }
}
