using System.Runtime.InteropServices;

namespace SimdRnn.Memory;

/// <summary>
/// Owns a block of native memory that starts on a 64-byte boundary (one cache line, one
/// Vector512) and is zeroed on allocation. The memory is released by <see cref="Dispose"/>;
/// any access after that throws <see cref="ObjectDisposedException"/>.
/// </summary>
/// <typeparam name="T">An unmanaged element type (float or double in SimdRnn).</typeparam>
public sealed unsafe class AlignedBuffer<T> : IDisposable where T : unmanaged
{
    /// <summary>The alignment of every buffer, in bytes.</summary>
    public const int Alignment = 64;

    private T* _data;

    /// <summary>Allocates <paramref name="length"/> zeroed elements on a 64-byte boundary.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative.</exception>
    public AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        nuint bytes = (nuint)Math.Max(1, length) * (nuint)sizeof(T);
        _data = (T*)NativeMemory.AlignedAlloc(bytes, Alignment);
        NativeMemory.Clear(_data, bytes);
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _data == null;

    /// <summary>The whole buffer as a span.</summary>
    public Span<T> Span => new(Pointer, Length);

    /// <summary>The address of the first element (64-byte aligned).</summary>
    public T* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_data == null, this);
            return _data;
        }
    }

    /// <summary>Frees the native memory. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (_data != null)
        {
            NativeMemory.AlignedFree(_data);
            _data = null;
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the memory if the owner forgot to dispose.</summary>
    ~AlignedBuffer() => Dispose();
}
