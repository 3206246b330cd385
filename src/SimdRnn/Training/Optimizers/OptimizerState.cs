using SimdRnn.Memory;

namespace SimdRnn.Training;

/// <summary>
/// What every optimizer keeps besides its hyper-parameters: the length fixed by the first step,
/// up to two state buffers of that length in aligned native memory, and whether it is disposed.
/// A public optimizer cannot derive from an internal base class, so each one owns one of these.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class OptimizerState<T> : IDisposable where T : unmanaged
{
    private readonly int _bufferCount;
    private AlignedBuffer<T>? _first, _second;
    private int _length = -1;
    private bool _disposed;

    /// <summary>State with <paramref name="bufferCount"/> (0, 1 or 2) buffers, allocated on the first step.</summary>
    public OptimizerState(int bufferCount) => _bufferCount = bufferCount;

    /// <summary>The first state buffer (valid after <see cref="Begin"/>, when the state has one).</summary>
    public Span<T> First => _first!.Span;

    /// <summary>The second state buffer (valid after <see cref="Begin"/>, when the state has two).</summary>
    public Span<T> Second => _second!.Span;

    /// <summary>
    /// Checks a step's arguments and, on the first step, allocates the buffers (zeroed).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The owner is disposed.</exception>
    /// <exception cref="ArgumentException">The lengths differ from each other or from the first step's.</exception>
    public void Begin(object owner, int parametersLength, int gradientsLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, owner);
        if (gradientsLength != parametersLength)
            throw new ArgumentException($"gradients has length {gradientsLength}, parameters has {parametersLength}.", "gradients");
        if (_length < 0)
        {
            if (_bufferCount > 0) _first = new AlignedBuffer<T>(parametersLength);
            if (_bufferCount > 1) _second = new AlignedBuffer<T>(parametersLength);
            _length = parametersLength;
        }
        else if (parametersLength != _length)
        {
            throw new ArgumentException(
                $"parameters has length {parametersLength}, but this optimizer's state was sized for {_length} by its first step.", "parameters");
        }
    }

    /// <summary>Zeroes the buffers; the length stays.</summary>
    /// <exception cref="ObjectDisposedException">The owner is disposed.</exception>
    public void Clear(object owner)
    {
        ObjectDisposedException.ThrowIf(_disposed, owner);
        _first?.Span.Clear();
        _second?.Span.Clear();
    }

    /// <summary>Frees the buffers. Safe to call more than once.</summary>
    public void Dispose()
    {
        _disposed = true;
        _first?.Dispose();
        _second?.Dispose();
        _first = _second = null;
    }
}
