using System.Numerics;

namespace SimdRnn.Training;

/// <summary>
/// Updates a flat block of parameters in place from its gradient, in one fused pass over memory.
/// The semantics are those of the PyTorch class of the same name with its default flags.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// The state (moments, buffers) is sized on the first <see cref="Step"/> and lives in 64-byte
/// aligned native memory that <see cref="IDisposable.Dispose"/> frees; after the first call a
/// step allocates nothing on the managed heap. Weight decay is added as g + λθ even when λ = 0:
/// for a finite θ that adds exactly zero, and it keeps the loops free of branches. Every vector
/// width performs the scalar loop's operations in its order, so results are bit-identical on
/// every machine.
/// </remarks>
public interface IOptimizer<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The learning rate of the next <see cref="Step"/>; schedules change it between steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value that is not positive and finite.</exception>
    double LearningRate { get; set; }

    /// <summary>
    /// Updates <paramref name="parameters"/> in place from <paramref name="gradients"/>. Every call
    /// must pass the same length as the first (or the first since the optimizer was created).
    /// </summary>
    /// <exception cref="ArgumentException">The two spans differ in length, or their length differs from the first call's.</exception>
    /// <exception cref="ObjectDisposedException">The optimizer has been disposed.</exception>
    void Step(Span<T> parameters, ReadOnlySpan<T> gradients);

    /// <summary>Clears the state (moments, buffers, step count); the length set by the first step stays.</summary>
    /// <exception cref="ObjectDisposedException">The optimizer has been disposed.</exception>
    void Reset();
}
