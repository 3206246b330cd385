// Per-thread packing memory for the GEMM engine: one 64-byte aligned native block that holds the
// packed A block, the packed B block and an edge tile.
using System.Runtime.InteropServices;

namespace SimdRnn.Kernels;

/// <summary>A per-thread, 64-byte aligned native scratch block that only ever grows.</summary>
/// <remarks>Allocated on a thread's first GEMM and reused, so steady-state calls allocate nothing,
/// managed or native. The block belongs to a small managed owner referenced from a
/// [ThreadStatic] field: when the thread ends, the owner becomes garbage and its finalizer frees
/// the native memory. 64-byte alignment puts every packed panel on cache-line (and Vector512)
/// boundaries.</remarks>
internal sealed unsafe class GemmScratch
{
    [ThreadStatic]
    private static GemmScratch? t_current;

    private byte* _block;
    private nint _bytes;

    /// <summary>At least <paramref name="bytes"/> bytes of this thread's scratch, 64-byte aligned.
    /// The contents are whatever the previous call left.</summary>
    public static byte* Get(nint bytes)
    {
        GemmScratch scratch = t_current ??= new GemmScratch();
        if (scratch._bytes < bytes)
            scratch.Grow(bytes);
        return scratch._block;
    }

    private void Grow(nint bytes)
    {
        // Growing by at least half again keeps a sequence of slowly rising sizes from
        // reallocating on every call.
        nint size = Math.Max(bytes, _bytes + _bytes / 2);
        size = (size + 4095) & ~(nint)4095;
        if (_block != null)
            NativeMemory.AlignedFree(_block);
        _block = null;
        _bytes = 0;
        _block = (byte*)NativeMemory.AlignedAlloc((nuint)size, 64);
        _bytes = size;
    }

    ~GemmScratch()
    {
        if (_block != null)
            NativeMemory.AlignedFree(_block);
    }
}
