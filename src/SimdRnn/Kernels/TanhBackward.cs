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
        // An accumulation cannot use an overlapping last vector (it would add twice), so the
        // tail left by the widest vectors falls to the narrower ones and then to scalar code.
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported) i = Accumulate512(dz, dh, s);
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported) i += Accumulate256(dz[i..], dh[i..], s[i..]);
        AccumulateScalar(dz[i..], dh[i..], s[i..]);
    }

    /// <summary>The Vector512 loop over the whole vectors of the spans; returns how many elements it did.
    /// Internal so that tests can run it where the hardware lacks AVX-512 (the runtime emulates it).</summary>
    internal static int Accumulate512<T>(Span<T> dz, ReadOnlySpan<T> dh, ReadOnlySpan<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T z = ref MemoryMarshal.GetReference(dz);
        ref T h = ref MemoryMarshal.GetReference(dh);
        ref T a = ref MemoryMarshal.GetReference(s);
        int i = 0;
        for (; i <= dz.Length - Vector512<T>.Count; i += Vector512<T>.Count)
        {
            var si = Vector512.LoadUnsafe(ref a, (nuint)i);
            var di = Vector512.LoadUnsafe(ref h, (nuint)i);
            var zi = Vector512.LoadUnsafe(ref z, (nuint)i);
            (zi + di * (Vector512<T>.One - si * si)).StoreUnsafe(ref z, (nuint)i);
        }
        return i;
    }

    /// <summary>The Vector256 loop, as <see cref="Accumulate512"/>.</summary>
    internal static int Accumulate256<T>(Span<T> dz, ReadOnlySpan<T> dh, ReadOnlySpan<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T z = ref MemoryMarshal.GetReference(dz);
        ref T h = ref MemoryMarshal.GetReference(dh);
        ref T a = ref MemoryMarshal.GetReference(s);
        int i = 0;
        for (; i <= dz.Length - Vector256<T>.Count; i += Vector256<T>.Count)
        {
            var si = Vector256.LoadUnsafe(ref a, (nuint)i);
            var di = Vector256.LoadUnsafe(ref h, (nuint)i);
            var zi = Vector256.LoadUnsafe(ref z, (nuint)i);
            (zi + di * (Vector256<T>.One - si * si)).StoreUnsafe(ref z, (nuint)i);
        }
        return i;
    }

    /// <summary>The scalar loop: the fallback and the spec.</summary>
    internal static void AccumulateScalar<T>(Span<T> dz, ReadOnlySpan<T> dh, ReadOnlySpan<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < dz.Length; i++)
            dz[i] += dh[i] * (T.One - s[i] * s[i]);
    }
}
