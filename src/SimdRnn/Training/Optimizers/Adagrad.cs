using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SimdRnn.Training;

/// <summary>
/// Adagrad as torch.optim.Adagrad (lr_decay 0, initial accumulator 0):
/// g ← g + λθ; s ← s + g²; θ ← θ − η g / (√s + ε).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Adagrad<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly OptimizerState<T> _state = new(1);
    private readonly double _epsilon, _weightDecay;
    private double _learningRate;

    /// <summary>Creates the optimizer; the accumulator s is allocated on the first step.</summary>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="epsilon">ε, non-negative: added to √s for stability.</param>
    /// <param name="weightDecay">λ, non-negative: L2 penalty added to the gradient.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the exception names it.</exception>
    public Adagrad(double learningRate = 0.01, double epsilon = 1e-10, double weightDecay = 0)
    {
        _learningRate = Hyper.LearningRate(learningRate, nameof(learningRate));
        _epsilon = Hyper.NonNegative(epsilon, nameof(epsilon));
        _weightDecay = Hyper.NonNegative(weightDecay, nameof(weightDecay));
    }

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = Hyper.LearningRate(value, nameof(value));
    }

    /// <inheritdoc/>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients) => Step(parameters, gradients, VectorWidth.Dispatched);

    /// <summary><see cref="Step(Span{T}, ReadOnlySpan{T})"/> on the loops that <paramref name="width"/> selects.</summary>
    [SkipLocalsInit]
    internal void Step(Span<T> parameters, ReadOnlySpan<T> gradients, VectorWidth width)
    {
        _state.Begin(this, parameters.Length, gradients.Length);
        T lr = T.CreateTruncating(_learningRate), eps = T.CreateTruncating(_epsilon), wd = T.CreateTruncating(_weightDecay);
        Span<T> s = _state.First;
        int i = 0;
        if (width.Uses512<T>()) i = Update512(parameters, gradients, s, lr, eps, wd);
        if (width.Uses256<T>()) i += Update256(parameters[i..], gradients[i..], s[i..], lr, eps, wd);
        UpdateScalar(parameters[i..], gradients[i..], s[i..], lr, eps, wd);
    }

    /// <inheritdoc/>
    public void Reset() => _state.Clear(this);

    /// <summary>Frees the accumulator. Safe to call more than once.</summary>
    public void Dispose() => _state.Dispose();

    // g ← g + λθ; s ← s + g·g; θ ← θ − η (g / (√s + ε)), over the whole vectors; each returns how many elements it did.

    internal static int Update512(Span<T> theta, ReadOnlySpan<T> grad, Span<T> sum, T lr, T eps, T wd)
    {
        ref T p = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T s = ref MemoryMarshal.GetReference(sum);
        var vlr = Vector512.Create(lr);
        var veps = Vector512.Create(eps);
        var vwd = Vector512.Create(wd);
        int i = 0;
        for (; i <= theta.Length - Vector512<T>.Count; i += Vector512<T>.Count)
        {
            var pi = Vector512.LoadUnsafe(ref p, (nuint)i);
            var gi = Vector512.LoadUnsafe(ref g, (nuint)i) + vwd * pi;
            var si = Vector512.LoadUnsafe(ref s, (nuint)i) + gi * gi;
            si.StoreUnsafe(ref s, (nuint)i);
            (pi - vlr * (gi / (Vector512.Sqrt(si) + veps))).StoreUnsafe(ref p, (nuint)i);
        }
        return i;
    }

    internal static int Update256(Span<T> theta, ReadOnlySpan<T> grad, Span<T> sum, T lr, T eps, T wd)
    {
        ref T p = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T s = ref MemoryMarshal.GetReference(sum);
        var vlr = Vector256.Create(lr);
        var veps = Vector256.Create(eps);
        var vwd = Vector256.Create(wd);
        int i = 0;
        for (; i <= theta.Length - Vector256<T>.Count; i += Vector256<T>.Count)
        {
            var pi = Vector256.LoadUnsafe(ref p, (nuint)i);
            var gi = Vector256.LoadUnsafe(ref g, (nuint)i) + vwd * pi;
            var si = Vector256.LoadUnsafe(ref s, (nuint)i) + gi * gi;
            si.StoreUnsafe(ref s, (nuint)i);
            (pi - vlr * (gi / (Vector256.Sqrt(si) + veps))).StoreUnsafe(ref p, (nuint)i);
        }
        return i;
    }

    internal static void UpdateScalar(Span<T> theta, ReadOnlySpan<T> grad, Span<T> sum, T lr, T eps, T wd)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            T gi = grad[i] + wd * theta[i];
            T si = sum[i] + gi * gi;
            sum[i] = si;
            theta[i] -= lr * (gi / (T.Sqrt(si) + eps));
        }
    }
}
