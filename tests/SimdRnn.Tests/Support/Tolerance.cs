using System.Numerics;
using Xunit.Sdk;

namespace SimdRnn.Tests.Support;

/// <summary>
/// The one tolerance rule of the suite: |actual - expected| &lt;= abs + rel * scale, where scale is
/// the magnitude the error is measured against (the value itself, or a norm for gradients).
/// Float: rel 1e-4, abs 1e-5. Double: rel 1e-10, abs 1e-12.
/// </summary>
public static class Tolerance
{
    public static (double Rel, double Abs) For<T>() => typeof(T) == typeof(float) ? (1e-4, 1e-5) : (1e-10, 1e-12);

    /// <summary>Asserts every element is within tolerance; the message names the first bad index.</summary>
    public static void AssertClose<T>(ReadOnlySpan<double> expected, ReadOnlySpan<T> actual, string what, double scale = 0)
        where T : INumberBase<T>
    {
        if (expected.Length != actual.Length)
            throw new XunitException($"{what}: length {actual.Length}, expected {expected.Length}");
        var (rel, abs) = For<T>();
        for (int i = 0; i < expected.Length; i++)
        {
            double a = double.CreateChecked(actual[i]);
            double e = expected[i];
            double bound = abs + rel * Math.Max(scale, Math.Abs(e));
            if (!(Math.Abs(a - e) <= bound))
                throw new XunitException($"{what}[{i}]: got {a:R}, expected {e:R} (|diff| {Math.Abs(a - e):E3} > {bound:E3})");
        }
    }

    /// <summary>The Euclidean norm, the scale for comparing gradients.</summary>
    public static double Norm(ReadOnlySpan<double> x)
    {
        double s = 0;
        foreach (var v in x) s += v * v;
        return Math.Sqrt(s);
    }
}
