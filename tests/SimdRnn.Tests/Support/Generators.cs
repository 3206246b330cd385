using FsCheck;
using FsCheck.Fluent;

namespace SimdRnn.Tests.Support;

/// <summary>A shape for a kernel test: M x N with row padding and an unaligned start.</summary>
public sealed record KernelCase(int M, int N, int Pad, int Offset, int Seed);

/// <summary>A random model and sentence: vocabulary C, hidden H, length T, truncation K.</summary>
public sealed record ModelCase(int C, int H, int T, int K, int Seed);

/// <summary>The suite's generators. Sizes from 0 (or 1) to about 70 hit every tail length of
/// 8- and 16-wide vectors; offsets 0..7 start spans off the 64-byte boundary.</summary>
public static class Generators
{
    public static Arbitrary<KernelCase> KernelCases() =>
        (from m in Gen.Choose(0, 70)
         from n in Gen.Choose(0, 70)
         from pad in Gen.Choose(0, 5)
         from offset in Gen.Choose(0, 7)
         from seed in Gen.Choose(0, int.MaxValue)
         select new KernelCase(m, n, pad, offset, seed)).ToArbitrary();

    public static Arbitrary<ModelCase> ModelCases() =>
        (from c in Gen.Choose(1, 300)
         from h in Gen.Choose(1, 70)
         from t in Gen.Choose(1, 40)
         from k in Gen.Choose(0, t + 2)
         from seed in Gen.Choose(0, int.MaxValue)
         select new ModelCase(c, h, t, k, seed)).ToArbitrary();
}

/// <summary>Random data for a test, from one seed.</summary>
public static class Data
{
    /// <summary>An array of <paramref name="length"/> values uniform in [-scale, scale).</summary>
    public static T[] Uniform<T>(Random random, int length, double scale = 1) where T : System.Numerics.INumberBase<T>
    {
        var a = new T[length];
        for (int i = 0; i < length; i++) a[i] = T.CreateTruncating((2 * random.NextDouble() - 1) * scale);
        return a;
    }

    /// <summary>Token ids in [0, C).</summary>
    public static int[] Tokens(Random random, int length, int vocabulary)
    {
        var a = new int[length];
        for (int i = 0; i < length; i++) a[i] = random.Next(vocabulary);
        return a;
    }

    public static double[] ToDouble<T>(ReadOnlySpan<T> a) where T : System.Numerics.INumberBase<T>
    {
        var d = new double[a.Length];
        for (int i = 0; i < a.Length; i++) d[i] = double.CreateTruncating(a[i]);
        return d;
    }
}
