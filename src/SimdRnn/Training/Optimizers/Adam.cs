using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SimdRnn.Training;

/// <summary>
/// Adam as torch.optim.Adam (no AMSGrad): at step t, g ← g + λθ; m ← β₁m + (1 − β₁)g;
/// v ← β₂v + (1 − β₂)g²; θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Adam<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly OptimizerState<T> _state = new(2);
    private readonly double _beta1, _beta2, _epsilon, _weightDecay;
    private double _learningRate;
    private long _step;

    /// <summary>Creates the optimizer; m and v are allocated on the first step.</summary>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="beta1">β₁ in [0, 1): decay of the first-moment average.</param>
    /// <param name="beta2">β₂ in [0, 1): decay of the second-moment average.</param>
    /// <param name="epsilon">ε, non-negative: added to the denominator for stability.</param>
    /// <param name="weightDecay">λ, non-negative: L2 penalty added to the gradient (Adam, not AdamW).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the exception names it.</exception>
    public Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        _learningRate = Hyper.LearningRate(learningRate, nameof(learningRate));
        _beta1 = Hyper.UnitInterval(beta1, nameof(beta1));
        _beta2 = Hyper.UnitInterval(beta2, nameof(beta2));
        _epsilon = Hyper.NonNegative(epsilon, nameof(epsilon));
        _weightDecay = Hyper.NonNegative(weightDecay, nameof(weightDecay));
    }

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = Hyper.LearningRate(value, nameof(value));
    }

    /// <summary>The number of steps taken since creation or the last <see cref="Reset"/> (t of the last step).</summary>
    public long StepCount => _step;

    /// <inheritdoc/>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients) => Step(parameters, gradients, VectorWidth.Dispatched);

    /// <summary><see cref="Step(Span{T}, ReadOnlySpan{T})"/> on the loops that <paramref name="width"/> selects.</summary>
    [SkipLocalsInit]
    internal void Step(Span<T> parameters, ReadOnlySpan<T> gradients, VectorWidth width)
    {
        _state.Begin(this, parameters.Length, gradients.Length);
        long t = ++_step;
        // The bias corrections are computed once per step in double, as PyTorch computes them in
        // Python floats, and only the two factors that multiply the vectors are rounded to T.
        double bias1 = 1 - Math.Pow(_beta1, t), bias2 = 1 - Math.Pow(_beta2, t);
        var k = new Constants(
            StepSize: T.CreateTruncating(_learningRate / bias1),
            SqrtBias2: T.CreateTruncating(Math.Sqrt(bias2)),
            OneMinusBeta1: T.CreateTruncating(1 - _beta1),
            Beta2: T.CreateTruncating(_beta2),
            OneMinusBeta2: T.CreateTruncating(1 - _beta2),
            Eps: T.CreateTruncating(_epsilon),
            Wd: T.CreateTruncating(_weightDecay));
        Span<T> m = _state.First, v = _state.Second;
        int i = 0;
        if (width.Uses512<T>()) i = Update512(parameters, gradients, m, v, k);
        if (width.Uses256<T>()) i += Update256(parameters[i..], gradients[i..], m[i..], v[i..], k);
        UpdateScalar(parameters[i..], gradients[i..], m[i..], v[i..], k);
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _state.Clear(this);
        _step = 0;
    }

    /// <summary>Frees m and v. Safe to call more than once.</summary>
    public void Dispose() => _state.Dispose();

    /// <summary>The step's factors in T: η/(1 − β₁ᵗ), √(1 − β₂ᵗ), 1 − β₁, β₂, 1 − β₂, ε, λ.</summary>
    internal readonly record struct Constants(T StepSize, T SqrtBias2, T OneMinusBeta1, T Beta2, T OneMinusBeta2, T Eps, T Wd);

    // g ← g + λθ; m ← m + (1 − β₁)(g − m) (PyTorch's lerp_, the same average); v ← β₂v + (1 − β₂)·g·g;
    // θ ← θ − step · (m / (√v / √bias2 + ε)). Over the whole vectors; each returns how many elements it did.

    internal static int Update512(Span<T> theta, ReadOnlySpan<T> grad, Span<T> first, Span<T> second, Constants k)
    {
        ref T p = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T m = ref MemoryMarshal.GetReference(first);
        ref T v = ref MemoryMarshal.GetReference(second);
        var step = Vector512.Create(k.StepSize);
        var sqrtBias2 = Vector512.Create(k.SqrtBias2);
        var oneMinusBeta1 = Vector512.Create(k.OneMinusBeta1);
        var beta2 = Vector512.Create(k.Beta2);
        var oneMinusBeta2 = Vector512.Create(k.OneMinusBeta2);
        var eps = Vector512.Create(k.Eps);
        var wd = Vector512.Create(k.Wd);
        int i = 0;
        for (; i <= theta.Length - Vector512<T>.Count; i += Vector512<T>.Count)
        {
            var pi = Vector512.LoadUnsafe(ref p, (nuint)i);
            var gi = Vector512.LoadUnsafe(ref g, (nuint)i) + wd * pi;
            var mi = Vector512.LoadUnsafe(ref m, (nuint)i);
            mi += oneMinusBeta1 * (gi - mi);
            mi.StoreUnsafe(ref m, (nuint)i);
            var vi = beta2 * Vector512.LoadUnsafe(ref v, (nuint)i) + oneMinusBeta2 * (gi * gi);
            vi.StoreUnsafe(ref v, (nuint)i);
            (pi - step * (mi / (Vector512.Sqrt(vi) / sqrtBias2 + eps))).StoreUnsafe(ref p, (nuint)i);
        }
        return i;
    }

    internal static int Update256(Span<T> theta, ReadOnlySpan<T> grad, Span<T> first, Span<T> second, Constants k)
    {
        ref T p = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T m = ref MemoryMarshal.GetReference(first);
        ref T v = ref MemoryMarshal.GetReference(second);
        var step = Vector256.Create(k.StepSize);
        var sqrtBias2 = Vector256.Create(k.SqrtBias2);
        var oneMinusBeta1 = Vector256.Create(k.OneMinusBeta1);
        var beta2 = Vector256.Create(k.Beta2);
        var oneMinusBeta2 = Vector256.Create(k.OneMinusBeta2);
        var eps = Vector256.Create(k.Eps);
        var wd = Vector256.Create(k.Wd);
        int i = 0;
        for (; i <= theta.Length - Vector256<T>.Count; i += Vector256<T>.Count)
        {
            var pi = Vector256.LoadUnsafe(ref p, (nuint)i);
            var gi = Vector256.LoadUnsafe(ref g, (nuint)i) + wd * pi;
            var mi = Vector256.LoadUnsafe(ref m, (nuint)i);
            mi += oneMinusBeta1 * (gi - mi);
            mi.StoreUnsafe(ref m, (nuint)i);
            var vi = beta2 * Vector256.LoadUnsafe(ref v, (nuint)i) + oneMinusBeta2 * (gi * gi);
            vi.StoreUnsafe(ref v, (nuint)i);
            (pi - step * (mi / (Vector256.Sqrt(vi) / sqrtBias2 + eps))).StoreUnsafe(ref p, (nuint)i);
        }
        return i;
    }

    internal static void UpdateScalar(Span<T> theta, ReadOnlySpan<T> grad, Span<T> first, Span<T> second, Constants k)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            T gi = grad[i] + k.Wd * theta[i];
            T mi = first[i];
            mi += k.OneMinusBeta1 * (gi - mi);
            first[i] = mi;
            T vi = k.Beta2 * second[i] + k.OneMinusBeta2 * (gi * gi);
            second[i] = vi;
            theta[i] -= k.StepSize * (mi / (T.Sqrt(vi) / k.SqrtBias2 + k.Eps));
        }
    }
}
