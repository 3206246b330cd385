using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SimdRnn.Kernels;

/// <summary>Backward of s = tanh(z), given s: dz += dh ⊙ (1 − s ⊙ s).</summary>
internal static class TanhBackward
{
    /// <summary>
    /// dz += dh ⊙ (1 − s ⊙ s), elementwise; all three spans have one length (N).
    /// Uses s rather than z because tanh'(z) = 1 − tanh(z)^2 and s is what the forward kept.
    /// One pass reads dh and s and updates dz, instead of three TensorPrimitives passes.
    /// </summary>
    [SkipLocalsInit]
    public static void Accumulate<T>(Span<T> dz, ReadOnlySpan<T> dh, ReadOnlySpan<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = dz.Length;
        if (dh.Length != n) throw new ArgumentException($"dh has length {dh.Length}, dz has {n}.", nameof(dh));
        if (s.Length != n) throw new ArgumentException($"s has length {s.Length}, dz has {n}.", nameof(s));
        ref T z = ref MemoryMarshal.GetReference(dz);
        ref T h = ref MemoryMarshal.GetReference(dh);
        ref T a = ref MemoryMarshal.GetReference(s);
        int i = 0;
        // An accumulation cannot use an overlapping last vector (it would add twice), so the
        // tail left by the widest vectors falls to the narrower ones and then to scalar code.
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var si = Vector512.LoadUnsafe(ref a, (nuint)i);
                var di = Vector512.LoadUnsafe(ref h, (nuint)i);
                var zi = Vector512.LoadUnsafe(ref z, (nuint)i);
                (zi + di * (Vector512<T>.One - si * si)).StoreUnsafe(ref z, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var si = Vector256.LoadUnsafe(ref a, (nuint)i);
                var di = Vector256.LoadUnsafe(ref h, (nuint)i);
                var zi = Vector256.LoadUnsafe(ref z, (nuint)i);
                (zi + di * (Vector256<T>.One - si * si)).StoreUnsafe(ref z, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T si = Unsafe.Add(ref a, i);
            Unsafe.Add(ref z, i) += Unsafe.Add(ref h, i) * (T.One - si * si);
        }
    }
}
