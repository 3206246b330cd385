using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SimdRnn.Training;

/// <summary>Gradient clipping as torch.nn.utils.clip_grad_norm_ and clip_grad_value_.</summary>
public static class GradientClipping
{
    /// <summary>How many partial sums of squares the norm keeps: element i goes to sum i mod 16.</summary>
    internal const int Lanes = 16;

    /// <summary>
    /// g ← g · min(1, maxNorm / (‖g‖₂ + 10⁻⁶)), as torch.nn.utils.clip_grad_norm_ does;
    /// returns ‖g‖₂ before clipping.
    /// </summary>
    /// <remarks>
    /// The norm is accumulated in double in a fixed order that does not depend on the vector
    /// width: 16 partial sums (element i into sum i mod 16) combined by a fixed pairwise tree, so
    /// every machine and every ISA setting returns the same bits. If a gradient holds NaN or
    /// ±Inf the norm is NaN or +Inf, it is returned, and the gradient is left unchanged: the
    /// caller decides (the trainer stops with an error that names the step).
    /// </remarks>
    /// <param name="gradients">The gradient, scaled in place.</param>
    /// <param name="maxNorm">The largest norm allowed; non-negative (+Inf never clips).</param>
    /// <returns>The Euclidean norm of the gradient before clipping.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is negative or NaN.</exception>
    public static double ClipByGlobalNorm<T>(Span<T> gradients, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(maxNorm >= 0))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be non-negative.");
        double norm = Norm<T>(gradients, VectorWidth.Dispatched);
        if (!double.IsFinite(norm)) return norm;
        double coefficient = maxNorm / (norm + 1e-6);
        // PyTorch multiplies by the clamped coefficient always; by 1 it is the identity, so skip the pass.
        if (coefficient < 1)
            TensorPrimitives.Multiply(gradients, T.CreateTruncating(coefficient), gradients);
        return norm;
    }

    /// <summary>g ← clamp(g, −clipValue, clipValue), as torch.nn.utils.clip_grad_value_ does; NaN stays NaN.</summary>
    /// <param name="gradients">The gradient, clamped in place.</param>
    /// <param name="clipValue">The largest magnitude allowed; non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipValue"/> is negative or NaN.</exception>
    public static void ClipByValue<T>(Span<T> gradients, double clipValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(clipValue >= 0))
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "clipValue must be non-negative.");
        T c = T.CreateTruncating(clipValue);
        TensorPrimitives.Clamp(gradients, -c, c, gradients);
    }

    /// <summary>
    /// ‖g‖₂ in double, on the loops <paramref name="width"/> selects; the same bits whatever the width.
    /// If the sum of squares overflows while every element is finite (double gradients beyond
    /// about 1e154), the norm is recomputed with the elements scaled by the largest magnitude.
    /// </summary>
    [SkipLocalsInit]
    internal static double Norm<T>(ReadOnlySpan<T> g, VectorWidth width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<double> sums = stackalloc double[Lanes];
        sums.Clear();
        int i = 0;
        if (width.Uses512<T>()) i = SumSquares512(g, sums);
        else if (width.Uses256<T>()) i = SumSquares256(g, sums);
        double sum = SumSquaresScalar(g, i, sums);
        if (double.IsFinite(sum)) return Math.Sqrt(sum);
        return Rescaled(g, sum);
    }

    /// <summary>The norm by the slow, overflow-free route: max|g| · ‖g / max|g|‖₂, or the
    /// non-finite sum itself when an element is NaN or ±Inf.</summary>
    private static double Rescaled<T>(ReadOnlySpan<T> g, double sum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = 0;
        foreach (T x in g)
        {
            double a = Math.Abs(double.CreateTruncating(x));
            if (!double.IsFinite(a)) return double.IsNaN(sum) || double.IsNaN(a) ? double.NaN : double.PositiveInfinity;
            max = Math.Max(max, a);
        }
        double scaled = 0;
        foreach (T x in g)
        {
            double r = double.CreateTruncating(x) / max;
            scaled += r * r;
        }
        return max * Math.Sqrt(scaled);
    }

    /// <summary>Adds the squares of the whole 16-element blocks into sums[0..16) with Vector512;
    /// returns how many elements it did. Lane k of the accumulators holds sum k.</summary>
    internal static int SumSquares512<T>(ReadOnlySpan<T> g, Span<double> sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lo = Vector512<double>.Zero;
        var hi = Vector512<double>.Zero;
        int i = 0;
        if (typeof(T) == typeof(float))
        {
            ref float x = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(g));
            for (; i <= g.Length - Lanes; i += Lanes)
            {
                var (a, b) = Vector512.Widen(Vector512.LoadUnsafe(ref x, (nuint)i));
                lo += a * a;
                hi += b * b;
            }
        }
        else
        {
            ref double x = ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(g));
            for (; i <= g.Length - Lanes; i += Lanes)
            {
                var a = Vector512.LoadUnsafe(ref x, (nuint)i);
                var b = Vector512.LoadUnsafe(ref x, (nuint)i + 8);
                lo += a * a;
                hi += b * b;
            }
        }
        lo.CopyTo(sums);
        hi.CopyTo(sums[8..]);
        return i;
    }

    /// <summary>As <see cref="SumSquares512"/>, with four Vector256 accumulators of four lanes.</summary>
    internal static int SumSquares256<T>(ReadOnlySpan<T> g, Span<double> sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s0 = Vector256<double>.Zero;
        var s1 = Vector256<double>.Zero;
        var s2 = Vector256<double>.Zero;
        var s3 = Vector256<double>.Zero;
        int i = 0;
        if (typeof(T) == typeof(float))
        {
            ref float x = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(g));
            for (; i <= g.Length - Lanes; i += Lanes)
            {
                var (a, b) = Vector256.Widen(Vector256.LoadUnsafe(ref x, (nuint)i));
                var (c, d) = Vector256.Widen(Vector256.LoadUnsafe(ref x, (nuint)i + 8));
                s0 += a * a;
                s1 += b * b;
                s2 += c * c;
                s3 += d * d;
            }
        }
        else
        {
            ref double x = ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(g));
            for (; i <= g.Length - Lanes; i += Lanes)
            {
                var a = Vector256.LoadUnsafe(ref x, (nuint)i);
                var b = Vector256.LoadUnsafe(ref x, (nuint)i + 4);
                var c = Vector256.LoadUnsafe(ref x, (nuint)i + 8);
                var d = Vector256.LoadUnsafe(ref x, (nuint)i + 12);
                s0 += a * a;
                s1 += b * b;
                s2 += c * c;
                s3 += d * d;
            }
        }
        s0.CopyTo(sums);
        s1.CopyTo(sums[4..]);
        s2.CopyTo(sums[8..]);
        s3.CopyTo(sums[12..]);
        return i;
    }

    /// <summary>
    /// Adds the squares of g[start..] into sums[i mod 16] (from start = 0 this is the whole
    /// scalar path; after a vector loop, the tail), then combines the 16 sums by a fixed tree:
    /// s[k] += s[k + 8], then + 4, + 2, + 1.
    /// </summary>
    internal static double SumSquaresScalar<T>(ReadOnlySpan<T> g, int start, Span<double> sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = start; i < g.Length; i++)
        {
            double x = double.CreateTruncating(g[i]);
            sums[i % Lanes] += x * x;
        }
        for (int half = Lanes / 2; half > 0; half /= 2)
            for (int k = 0; k < half; k++)
                sums[k] += sums[k + half];
        return sums[0];
    }
}
