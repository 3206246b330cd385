using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SimdRnn.Training;

/// <summary>
/// Stochastic gradient descent as torch.optim.SGD (dampening 0):
/// g ← g + λθ; with momentum μ: b ← μb + g (b = g on the first step), g ← g + μb if Nesterov else b;
/// θ ← θ − η g.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Sgd<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly OptimizerState<T> _state;
    private readonly double _momentum, _weightDecay;
    private readonly bool _nesterov;
    private double _learningRate;

    /// <summary>Creates the optimizer; the momentum buffer (if any) is allocated on the first step.</summary>
    /// <param name="learningRate">η, positive and finite.</param>
    /// <param name="momentum">μ, non-negative; 0 keeps no buffer.</param>
    /// <param name="nesterov">Nesterov momentum (needs μ &gt; 0, as in PyTorch).</param>
    /// <param name="weightDecay">λ, non-negative: L2 penalty added to the gradient.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the exception names it.</exception>
    /// <exception cref="ArgumentException">Nesterov momentum without momentum.</exception>
    public Sgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
    {
        _learningRate = Hyper.LearningRate(learningRate, nameof(learningRate));
        _momentum = Hyper.NonNegative(momentum, nameof(momentum));
        _weightDecay = Hyper.NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0)
            throw new ArgumentException("Nesterov momentum requires a momentum greater than zero.", nameof(nesterov));
        _nesterov = nesterov;
        _state = new OptimizerState<T>(momentum > 0 ? 1 : 0);
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
        T lr = T.CreateTruncating(_learningRate), wd = T.CreateTruncating(_weightDecay);
        if (_momentum == 0)
        {
            int i = 0;
            if (width.Uses512<T>()) i = Plain512(parameters, gradients, lr, wd);
            if (width.Uses256<T>()) i += Plain256(parameters[i..], gradients[i..], lr, wd);
            PlainScalar(parameters[i..], gradients[i..], lr, wd);
        }
        else
        {
            // PyTorch's first step sets b = g; the buffer starts at zero (and Reset zeroes it), so
            // b ← μ·0 + g is the same and needs no first-step branch.
            T mu = T.CreateTruncating(_momentum);
            Span<T> b = _state.First;
            int i = 0;
            if (width.Uses512<T>()) i = Momentum512(parameters, gradients, b, lr, wd, mu, _nesterov);
            if (width.Uses256<T>()) i += Momentum256(parameters[i..], gradients[i..], b[i..], lr, wd, mu, _nesterov);
            MomentumScalar(parameters[i..], gradients[i..], b[i..], lr, wd, mu, _nesterov);
        }
    }

    /// <inheritdoc/>
    public void Reset() => _state.Clear(this);

    /// <summary>Frees the momentum buffer. Safe to call more than once.</summary>
    public void Dispose() => _state.Dispose();

    // θ ← θ − η (g + λθ), over the whole vectors; each returns how many elements it did.

    internal static int Plain512(Span<T> theta, ReadOnlySpan<T> grad, T lr, T wd)
    {
        ref T p = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(grad);
        var vlr = Vector512.Create(lr);
        var vwd = Vector512.Create(wd);
        int i = 0;
        for (; i <= theta.Length - Vector512<T>.Count; i += Vector512<T>.Count)
        {
            var pi = Vector512.LoadUnsafe(ref p, (nuint)i);
            var gi = Vector512.LoadUnsafe(ref g, (nuint)i) + vwd * pi;
            (pi - vlr * gi).StoreUnsafe(ref p, (nuint)i);
        }
        return i;
    }

    internal static int Plain256(Span<T> theta, ReadOnlySpan<T> grad, T lr, T wd)
    {
        ref T p = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(grad);
        var vlr = Vector256.Create(lr);
        var vwd = Vector256.Create(wd);
        int i = 0;
        for (; i <= theta.Length - Vector256<T>.Count; i += Vector256<T>.Count)
        {
            var pi = Vector256.LoadUnsafe(ref p, (nuint)i);
            var gi = Vector256.LoadUnsafe(ref g, (nuint)i) + vwd * pi;
            (pi - vlr * gi).StoreUnsafe(ref p, (nuint)i);
        }
        return i;
    }

    internal static void PlainScalar(Span<T> theta, ReadOnlySpan<T> grad, T lr, T wd)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            T gi = grad[i] + wd * theta[i];
            theta[i] -= lr * gi;
        }
    }

    // g ← g + λθ; b ← μb + g; d = Nesterov ? g + μb : b; θ ← θ − η d.

    internal static int Momentum512(Span<T> theta, ReadOnlySpan<T> grad, Span<T> buffer, T lr, T wd, T mu, bool nesterov)
    {
        ref T p = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T b = ref MemoryMarshal.GetReference(buffer);
        var vlr = Vector512.Create(lr);
        var vwd = Vector512.Create(wd);
        var vmu = Vector512.Create(mu);
        int i = 0;
        for (; i <= theta.Length - Vector512<T>.Count; i += Vector512<T>.Count)
        {
            var pi = Vector512.LoadUnsafe(ref p, (nuint)i);
            var gi = Vector512.LoadUnsafe(ref g, (nuint)i) + vwd * pi;
            var bi = vmu * Vector512.LoadUnsafe(ref b, (nuint)i) + gi;
            bi.StoreUnsafe(ref b, (nuint)i);
            var di = nesterov ? gi + vmu * bi : bi;
            (pi - vlr * di).StoreUnsafe(ref p, (nuint)i);
        }
        return i;
    }

    internal static int Momentum256(Span<T> theta, ReadOnlySpan<T> grad, Span<T> buffer, T lr, T wd, T mu, bool nesterov)
    {
        ref T p = ref MemoryMarshal.GetReference(theta);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T b = ref MemoryMarshal.GetReference(buffer);
        var vlr = Vector256.Create(lr);
        var vwd = Vector256.Create(wd);
        var vmu = Vector256.Create(mu);
        int i = 0;
        for (; i <= theta.Length - Vector256<T>.Count; i += Vector256<T>.Count)
        {
            var pi = Vector256.LoadUnsafe(ref p, (nuint)i);
            var gi = Vector256.LoadUnsafe(ref g, (nuint)i) + vwd * pi;
            var bi = vmu * Vector256.LoadUnsafe(ref b, (nuint)i) + gi;
            bi.StoreUnsafe(ref b, (nuint)i);
            var di = nesterov ? gi + vmu * bi : bi;
            (pi - vlr * di).StoreUnsafe(ref p, (nuint)i);
        }
        return i;
    }

    internal static void MomentumScalar(Span<T> theta, ReadOnlySpan<T> grad, Span<T> buffer, T lr, T wd, T mu, bool nesterov)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            T gi = grad[i] + wd * theta[i];
            T bi = mu * buffer[i] + gi;
            buffer[i] = bi;
            T di = nesterov ? gi + mu * bi : bi;
            theta[i] -= lr * di;
        }
    }
}
