using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SimdRnn.Training;

/// <summary>
/// RMSprop as torch.optim.RMSprop (not centered):
/// g ← g + λθ; v ← αv + (1 − α)g²; with momentum μ: b ← μb + g / (√v + ε), θ ← θ − η b;
/// without: θ ← θ − η g / (√v + ε).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class RmsProp<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly OptimizerState<T> _state;
    private readonly double _alpha, _epsilon, _momentum, _weightDecay;
    private double _learningRate;

    /// <summary>Creates the optimizer; v (and b, with momentum) are allocated on the first step.</summary>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="alpha">α in [0, 1]: the smoothing constant of the squared-gradient average.</param>
    /// <param name="epsilon">ε, non-negative: added to √v for stability.</param>
    /// <param name="momentum">μ, non-negative; 0 keeps no buffer.</param>
    /// <param name="weightDecay">λ, non-negative: L2 penalty added to the gradient.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the exception names it.</exception>
    public RmsProp(double learningRate = 0.01, double alpha = 0.99, double epsilon = 1e-8, double momentum = 0, double weightDecay = 0)
    {
        _learningRate = Hyper.LearningRate(learningRate, nameof(learningRate));
        _alpha = Hyper.ClosedUnitInterval(alpha, nameof(alpha));
        _epsilon = Hyper.NonNegative(epsilon, nameof(epsilon));
        _momentum = Hyper.NonNegative(momentum, nameof(momentum));
        _weightDecay = Hyper.NonNegative(weightDecay, nameof(weightDecay));
        _state = new OptimizerState<T>(momentum > 0 ? 2 : 1);
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
        var k = new Constants(T.CreateTruncating(_learningRate), T.CreateTruncating(_alpha), T.CreateTruncating(1 - _alpha),
                              T.CreateTruncating(_epsilon), T.CreateTruncating(_momentum), T.CreateTruncating(_weightDecay));
        Span<T> v = _state.First;
        if (_momentum == 0)
        {
            int i = 0;
            if (width.Uses512<T>()) i = Plain512(parameters, gradients, v, k);
            if (width.Uses256<T>()) i += Plain256(parameters[i..], gradients[i..], v[i..], k);
            PlainScalar(parameters[i..], gradients[i..], v[i..], k);
        }
        else
        {
            Span<T> b = _state.Second;
            int i = 0;
            if (width.Uses512<T>()) i = Momentum512(parameters, gradients, v, b, k);
            if (width.Uses256<T>()) i += Momentum256(parameters[i..], gradients[i..], v[i..], b[i..], k);
            MomentumScalar(parameters[i..], gradients[i..], v[i..], b[i..], k);
        }
    }

    /// <inheritdoc/>
    public void Reset() => _state.Clear(this);

    /// <summary>Frees v and b. Safe to call more than once.</summary>
    public void Dispose() => _state.Dispose();

    /// <summary>The step's hyper-parameters in T: η, α, 1 − α (rounded once from double), ε, μ, λ.</summary>
    internal readonly record struct Constants(T Lr, T Alpha, T OneMinusAlpha, T Eps, T Mu, T Wd);

    // g ← g + λθ; v ← αv + (1 − α)·g·g; θ ← θ − η (g / (√v + ε)), over the whole vectors; each returns how many elements it did.

    internal static int Plain512(Span<T> theta, ReadOnlySpan<T> grad, Span<T> square, Constants k)
    {
        ref T p = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T v = ref MemoryMarshal.GetReference(square);
        var lr = Vector512.Create(k.Lr);
        var alpha = Vector512.Create(k.Alpha);
        var beta = Vector512.Create(k.OneMinusAlpha);
        var eps = Vector512.Create(k.Eps);
        var wd = Vector512.Create(k.Wd);
        int i = 0;
        for (; i <= theta.Length - Vector512<T>.Count; i += Vector512<T>.Count)
        {
            var pi = Vector512.LoadUnsafe(ref p, (nuint)i);
            var gi = Vector512.LoadUnsafe(ref g, (nuint)i) + wd * pi;
            var vi = alpha * Vector512.LoadUnsafe(ref v, (nuint)i) + beta * (gi * gi);
            vi.StoreUnsafe(ref v, (nuint)i);
            (pi - lr * (gi / (Vector512.Sqrt(vi) + eps))).StoreUnsafe(ref p, (nuint)i);
        }
        return i;
    }

    internal static int Plain256(Span<T> theta, ReadOnlySpan<T> grad, Span<T> square, Constants k)
    {
        ref T p = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T v = ref MemoryMarshal.GetReference(square);
        var lr = Vector256.Create(k.Lr);
        var alpha = Vector256.Create(k.Alpha);
        var beta = Vector256.Create(k.OneMinusAlpha);
        var eps = Vector256.Create(k.Eps);
        var wd = Vector256.Create(k.Wd);
        int i = 0;
        for (; i <= theta.Length - Vector256<T>.Count; i += Vector256<T>.Count)
        {
            var pi = Vector256.LoadUnsafe(ref p, (nuint)i);
            var gi = Vector256.LoadUnsafe(ref g, (nuint)i) + wd * pi;
            var vi = alpha * Vector256.LoadUnsafe(ref v, (nuint)i) + beta * (gi * gi);
            vi.StoreUnsafe(ref v, (nuint)i);
            (pi - lr * (gi / (Vector256.Sqrt(vi) + eps))).StoreUnsafe(ref p, (nuint)i);
        }
        return i;
    }

    internal static void PlainScalar(Span<T> theta, ReadOnlySpan<T> grad, Span<T> square, Constants k)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            T gi = grad[i] + k.Wd * theta[i];
            T vi = k.Alpha * square[i] + k.OneMinusAlpha * (gi * gi);
            square[i] = vi;
            theta[i] -= k.Lr * (gi / (T.Sqrt(vi) + k.Eps));
        }
    }

    // g ← g + λθ; v ← αv + (1 − α)·g·g; b ← μb + g / (√v + ε); θ ← θ − η b.

    internal static int Momentum512(Span<T> theta, ReadOnlySpan<T> grad, Span<T> square, Span<T> buffer, Constants k)
    {
        ref T p = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T v = ref MemoryMarshal.GetReference(square);
        ref T b = ref MemoryMarshal.GetReference(buffer);
        var lr = Vector512.Create(k.Lr);
        var alpha = Vector512.Create(k.Alpha);
        var beta = Vector512.Create(k.OneMinusAlpha);
        var eps = Vector512.Create(k.Eps);
        var mu = Vector512.Create(k.Mu);
        var wd = Vector512.Create(k.Wd);
        int i = 0;
        for (; i <= theta.Length - Vector512<T>.Count; i += Vector512<T>.Count)
        {
            var pi = Vector512.LoadUnsafe(ref p, (nuint)i);
            var gi = Vector512.LoadUnsafe(ref g, (nuint)i) + wd * pi;
            var vi = alpha * Vector512.LoadUnsafe(ref v, (nuint)i) + beta * (gi * gi);
            vi.StoreUnsafe(ref v, (nuint)i);
            var bi = mu * Vector512.LoadUnsafe(ref b, (nuint)i) + gi / (Vector512.Sqrt(vi) + eps);
            bi.StoreUnsafe(ref b, (nuint)i);
            (pi - lr * bi).StoreUnsafe(ref p, (nuint)i);
        }
        return i;
    }

    internal static int Momentum256(Span<T> theta, ReadOnlySpan<T> grad, Span<T> square, Span<T> buffer, Constants k)
    {
        ref T p = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T v = ref MemoryMarshal.GetReference(square);
        ref T b = ref MemoryMarshal.GetReference(buffer);
        var lr = Vector256.Create(k.Lr);
        var alpha = Vector256.Create(k.Alpha);
        var beta = Vector256.Create(k.OneMinusAlpha);
        var eps = Vector256.Create(k.Eps);
        var mu = Vector256.Create(k.Mu);
        var wd = Vector256.Create(k.Wd);
        int i = 0;
        for (; i <= theta.Length - Vector256<T>.Count; i += Vector256<T>.Count)
        {
            var pi = Vector256.LoadUnsafe(ref p, (nuint)i);
            var gi = Vector256.LoadUnsafe(ref g, (nuint)i) + wd * pi;
            var vi = alpha * Vector256.LoadUnsafe(ref v, (nuint)i) + beta * (gi * gi);
            vi.StoreUnsafe(ref v, (nuint)i);
            var bi = mu * Vector256.LoadUnsafe(ref b, (nuint)i) + gi / (Vector256.Sqrt(vi) + eps);
            bi.StoreUnsafe(ref b, (nuint)i);
            (pi - lr * bi).StoreUnsafe(ref p, (nuint)i);
        }
        return i;
    }

    internal static void MomentumScalar(Span<T> theta, ReadOnlySpan<T> grad, Span<T> square, Span<T> buffer, Constants k)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            T gi = grad[i] + k.Wd * theta[i];
            T vi = k.Alpha * square[i] + k.OneMinusAlpha * (gi * gi);
            square[i] = vi;
            T bi = k.Mu * buffer[i] + gi / (T.Sqrt(vi) + k.Eps);
            buffer[i] = bi;
            theta[i] -= k.Lr * bi;
        }
    }
}
