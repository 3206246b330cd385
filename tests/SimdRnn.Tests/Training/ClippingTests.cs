using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Reference;
using SimdRnn.Tests.Support;
using SimdRnn.Training;
using Xunit;

namespace SimdRnn.Tests.Training;

/// <summary>Gradient clipping against its reference, at every vector width, with non-finite gradients.</summary>
[Properties(Arbitrary = new[] { typeof(OptimizerGenerators) }, MaxTest = 100)]
public class ClippingTests
{
    /// <summary>How the norm is reduced: as dispatched, or forced onto one width.</summary>
    public enum Width { Dispatched, Vector512, Vector256, Scalar }

    [Property]
    public void ClipByGlobalNorm_MatchesReference_Float(OptimizerCase c) => CheckGlobalNorm<float>(c);

    [Property]
    public void ClipByGlobalNorm_MatchesReference_Double(OptimizerCase c) => CheckGlobalNorm<double>(c);

    private static void CheckGlobalNorm<T>(OptimizerCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        int n = c.N, offset = c.Offset;
        var g = Data.Uniform<T>(random, offset + n + 1, random.Next(3) == 0 ? 100 : 1);
        T sentinel = g[offset + n];
        var expected = Data.ToDouble<T>(g.AsSpan(offset, n));
        double size = Tolerance.Norm(expected);
        // Half the cases clip (maxNorm below the norm), the others do not.
        double maxNorm = random.Next(2) == 0 ? size * random.NextDouble() : size * (1 + random.NextDouble()) + 1e-3;
        double expectedNorm = ReferenceClipping.ClipByGlobalNorm(expected, maxNorm);

        double norm = GradientClipping.ClipByGlobalNorm<T>(g.AsSpan(offset, n), maxNorm);

        // The norm is accumulated in double whatever T is, so it is held to double precision.
        Tolerance.AssertClose([expectedNorm], new[] { norm }, "norm");
        Tolerance.AssertClose(expected, g.AsSpan(offset, n), $"clipped g (maxNorm {maxNorm}, norm {norm})");
        Assert.Equal(sentinel, g[offset + n]);
    }

    [Property]
    public void Norm_IsBitIdenticalAtEveryWidth_Float(OptimizerCase c) => CheckNormWidths<float>(c);

    [Property]
    public void Norm_IsBitIdenticalAtEveryWidth_Double(OptimizerCase c) => CheckNormWidths<double>(c);

    /// <summary>Element i always goes to partial sum i mod 16 and the sums combine by one fixed
    /// tree, so the norm has the same bits at every width (and so on every machine).</summary>
    private static void CheckNormWidths<T>(OptimizerCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        // Lengths up to 70 · Steps reach a few whole blocks plus every tail.
        int n = c.N * c.Steps;
        var g = Data.Uniform<T>(random, c.Offset + n, 10);
        var span = g.AsSpan(c.Offset, n);
        double scalar = GradientClipping.Norm<T>(span, VectorWidth.Scalar);
        foreach (var width in Enum.GetValues<Width>())
        {
            double norm = GradientClipping.Norm<T>(span, (VectorWidth)(int)width);
            Assert.True(BitConverter.DoubleToInt64Bits(scalar) == BitConverter.DoubleToInt64Bits(norm),
                        $"{width}: {norm:R}, scalar {scalar:R}");
        }
        Tolerance.AssertClose([Tolerance.Norm(Data.ToDouble<T>(span))], new[] { scalar }, "norm");
    }

    [Property]
    public void ClipByValue_MatchesReference_Float(OptimizerCase c) => CheckValue<float>(c);

    [Property]
    public void ClipByValue_MatchesReference_Double(OptimizerCase c) => CheckValue<double>(c);

    private static void CheckValue<T>(OptimizerCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        int n = c.N, offset = c.Offset;
        var g = Data.Uniform<T>(random, offset + n + 1, 2);
        T sentinel = g[offset + n];
        // A clip value that is exact in T, so the clamped elements compare exactly.
        double clip = double.CreateTruncating(T.CreateTruncating(2.5 * random.NextDouble()));
        var expected = Data.ToDouble<T>(g.AsSpan(offset, n));
        ReferenceClipping.ClipByValue(expected, clip);
        GradientClipping.ClipByValue<T>(g.AsSpan(offset, n), clip);
        Assert.Equal(expected, Data.ToDouble<T>(g.AsSpan(offset, n)));
        Assert.Equal(sentinel, g[offset + n]);
    }

    [Fact]
    public void ClipByGlobalNorm_KnownValue()
    {
        // (3, 4) has norm 5; maxNorm 1 scales it by 1/(5 + 1e-6).
        var g = new[] { 3.0, 4.0 };
        Assert.Equal(5.0, GradientClipping.ClipByGlobalNorm<double>(g, 1));
        Tolerance.AssertClose([3 / (5 + 1e-6), 4 / (5 + 1e-6)], g, "g");
        // maxNorm 10 leaves it alone, bit for bit.
        var f = new[] { 3f, 4f };
        Assert.Equal(5.0, GradientClipping.ClipByGlobalNorm<float>(f, 10));
        Assert.Equal([3f, 4f], f);
        // maxNorm 0 zeroes it, as PyTorch's coefficient 0 does.
        Assert.Equal(5.0, GradientClipping.ClipByGlobalNorm<double>(g = [3, 4], 0));
        Assert.Equal([0.0, 0.0], g);
        // An empty gradient has norm 0.
        Assert.Equal(0.0, GradientClipping.ClipByGlobalNorm<float>(Span<float>.Empty, 1));
    }

    public static TheoryData<double, double> NonFinite() => new()
    {
        { double.NaN, double.NaN },
        { double.PositiveInfinity, double.PositiveInfinity },
        { double.NegativeInfinity, double.PositiveInfinity },
    };

    [Theory]
    [MemberData(nameof(NonFinite))]
    public void ClipByGlobalNorm_NonFiniteGradient_ReturnsItAndLeavesTheGradientAlone(double bad, double expectedNorm)
    {
        foreach (int n in new[] { 1, 5, 16, 17, 40, 67 })
        {
            for (int at = 0; at < n; at += 3)
            {
                CheckNonFinite<float>(n, at, bad, expectedNorm);
                CheckNonFinite<double>(n, at, bad, expectedNorm);
            }
        }
    }

    private static void CheckNonFinite<T>(int n, int at, double bad, double expectedNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = Data.Uniform<T>(new Random(n * 100 + at), n, 100);
        g[at] = T.CreateTruncating(bad);
        var before = (T[])g.Clone();
        double norm = GradientClipping.ClipByGlobalNorm<T>(g, 1e-3);
        Assert.Equal(expectedNorm, norm);
        Assert.Equal(before, g);
    }

    [Fact]
    public void ClipByGlobalNorm_InfAndNaN_ReturnsNaN()
    {
        var g = new[] { 1.0, double.PositiveInfinity, 2.0, double.NaN };
        Assert.True(double.IsNaN(GradientClipping.ClipByGlobalNorm<double>(g, 1)));
    }

    [Fact]
    public void ClipByGlobalNorm_HugeButFiniteDoubles_DoesNotOverflow()
    {
        // The squares of 1e200 overflow double; the norm, √2·1e200, does not.
        var g = Enumerable.Repeat(1e200, 2).ToArray();
        double norm = GradientClipping.ClipByGlobalNorm<double>(g, 1);
        Tolerance.AssertClose([Math.Sqrt(2) * 1e200], new[] { norm }, "norm");
        Tolerance.AssertClose([Math.Sqrt(0.5), Math.Sqrt(0.5)], g, "g");
    }

    [Fact]
    public void ClipByValue_KnownValues_AndNaNStaysNaN()
    {
        var g = new[] { -3f, -0.5f, 0f, 0.5f, 3f, float.PositiveInfinity, float.NegativeInfinity, float.NaN };
        GradientClipping.ClipByValue<float>(g, 1);
        Assert.Equal([-1f, -0.5f, 0f, 0.5f, 1f, 1f, -1f], g[..7]);
        Assert.True(float.IsNaN(g[7]));
    }

    [Fact]
    public void Clipping_AllocatesNothing()
    {
        var random = new Random(3);
        var f = Data.Uniform<float>(random, 1001, 10);
        var d = Data.Uniform<double>(random, 1001, 10);
        int i = 0;
        void Call()
        {
            i++;
            GradientClipping.ClipByGlobalNorm<float>(f, 0.5 / i);
            GradientClipping.ClipByGlobalNorm<double>(d, 0.5 / i);
            GradientClipping.ClipByValue<float>(f, 0.1);
            GradientClipping.ClipByValue<double>(d, 0.1);
        }
        Assert.Equal(0, Allocations.LeastPerWindow(Call, warmUps: 1));
    }

    [Fact]
    public void BadArguments_ThrowNamingThem()
    {
        foreach (double bad in new[] { -1e-3, double.NaN, double.NegativeInfinity })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm<float>(new float[3], bad));
            Assert.Equal("maxNorm", e.ParamName);
            e = Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByValue<double>(new double[3], bad));
            Assert.Equal("clipValue", e.ParamName);
        }
    }
}
