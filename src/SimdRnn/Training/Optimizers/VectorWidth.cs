using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SimdRnn.Training;

/// <summary>
/// Which vector loops an optimizer step runs. <see cref="Dispatched"/> is what the public API
/// uses; the forced widths exist so that tests run every loop on any hardware (the runtime
/// emulates a width the machine lacks).
/// </summary>
internal enum VectorWidth
{
    /// <summary>The widest width the runtime accelerates, narrower ones for the tail, then scalar.</summary>
    Dispatched,
    /// <summary>Vector512, then Vector256, then scalar, whatever the hardware.</summary>
    Vector512,
    /// <summary>Vector256, then scalar.</summary>
    Vector256,
    /// <summary>Scalar only: the fallback and the spec.</summary>
    Scalar,
}

/// <summary>Resolves a <see cref="VectorWidth"/> into the loops to run.</summary>
internal static class VectorWidthExtensions
{
    /// <summary>Whether the Vector512 loop runs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Uses512<T>(this VectorWidth width) where T : unmanaged, IFloatingPointIeee754<T> =>
        width == VectorWidth.Vector512
        || (width == VectorWidth.Dispatched && Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported);

    /// <summary>Whether the Vector256 loop runs (after the Vector512 loop, if that ran).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Uses256<T>(this VectorWidth width) where T : unmanaged, IFloatingPointIeee754<T> =>
        width is VectorWidth.Vector512 or VectorWidth.Vector256
        || (width == VectorWidth.Dispatched && Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported);
}
