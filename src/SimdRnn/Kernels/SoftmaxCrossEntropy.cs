using System.Numerics;

namespace SimdRnn.Kernels;

/// <summary>
/// Softmax, cross-entropy and its gradient for one row of logits z and a target y:
/// loss = log Σ_k exp(z_k) − z_y, and z becomes dz = softmax(z) − onehot(y).
/// </summary>
internal static class SoftmaxCrossEntropy
{
    /// <summary>
    /// Returns −log softmax(z)[y] and leaves dloss/dz = softmax(z) − onehot(y) in z.
    /// The loss is log-sum-exp minus the target logit, which stays exact where softmax(z)[y]
    /// underflows to zero.
    /// </summary>
    public static T ForwardBackward<T>(Span<T> z, int y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if ((uint)y >= (uint)z.Length)
            throw new ArgumentOutOfRangeException(nameof(y), y, $"The target must be in [0, {z.Length}).");
        T target = z[y];
        T logSumExp = Softmax.InPlace(z);
        z[y] -= T.One;
        return logSumExp - target;
    }
}
