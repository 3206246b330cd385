using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Kernels;
using SimdRnn.Memory;
using SimdRnn.Tests.Support;
using Xunit;

namespace SimdRnn.Tests.Kernels;

/// <summary>Every vector kernel against a plain loop, for every length 0..70 and unaligned starts.</summary>
[Properties(Arbitrary = new[] { typeof(Generators) }, MaxTest = 60)]
public class ElementwiseKernelTests
{
    /// <summary>How TanhBackward runs: as dispatched, or forced onto one width (the runtime
    /// emulates a width the hardware lacks, so every width is checked on every machine).</summary>
    public enum Width { Dispatched, Forced512, Forced256, Scalar }

    [Property]
    public void TanhBackward_MatchesLoop_Float(KernelCase c, Width width) => CheckTanhBackward<float>(c, width);

    [Property]
    public void TanhBackward_MatchesLoop_Double(KernelCase c, Width width) => CheckTanhBackward<double>(c, width);

    private static void RunTanhBackward<T>(Width width, Span<T> dz, ReadOnlySpan<T> dh, ReadOnlySpan<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int done = width switch
        {
            Width.Dispatched => dz.Length,
            Width.Forced512 => TanhBackward.Accumulate512(dz, dh, s),
            Width.Forced256 => TanhBackward.Accumulate256(dz, dh, s),
            _ => 0,
        };
        if (width == Width.Dispatched) TanhBackward.Accumulate(dz, dh, s);
        else TanhBackward.AccumulateScalar(dz[done..], dh[done..], s[done..]);
    }

    private static void CheckTanhBackward<T>(KernelCase c, Width width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        int n = c.N;
        var dz = Data.Uniform<T>(random, n + c.Offset + 1);
        var dh = Data.Uniform<T>(random, n + c.Offset);
        var s = Data.Uniform<T>(random, n + c.Offset);
        var expected = new double[n];
        for (int i = 0; i < n; i++)
        {
            double si = double.CreateTruncating(s[c.Offset + i]);
            expected[i] = double.CreateTruncating(dz[c.Offset + i]) + double.CreateTruncating(dh[c.Offset + i]) * (1 - si * si);
        }
        T sentinel = dz[c.Offset + n];
        RunTanhBackward(width, dz.AsSpan(c.Offset, n), dh.AsSpan(c.Offset, n), s.AsSpan(c.Offset, n));
        Tolerance.AssertClose(expected, dz.AsSpan(c.Offset, n), "dz");
        Assert.Equal(sentinel, dz[c.Offset + n]);
    }

    [Property]
    public void SoftmaxCrossEntropy_MatchesLoop_Float(KernelCase c) => CheckSoftmaxCrossEntropy<float>(c);

    [Property]
    public void SoftmaxCrossEntropy_MatchesLoop_Double(KernelCase c) => CheckSoftmaxCrossEntropy<double>(c);

    private static void CheckSoftmaxCrossEntropy<T>(KernelCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        int n = c.N + 1;
        int y = random.Next(n);
        // Logits up to ±30 make exp overflow-prone without the max shift.
        var z = Data.Uniform<T>(random, n + c.Offset, 30);
        var logits = Data.ToDouble<T>(z.AsSpan(c.Offset, n));
        double max = logits.Max(), sum = logits.Sum(v => Math.Exp(v - max));
        var expected = logits.Select((v, k) => Math.Exp(v - max) / sum - (k == y ? 1 : 0)).ToArray();
        double expectedLoss = -(logits[y] - max - Math.Log(sum));

        T loss = SoftmaxCrossEntropy.ForwardBackward(z.AsSpan(c.Offset, n), y);

        Tolerance.AssertClose([expectedLoss], new[] { loss }, "loss");
        Tolerance.AssertClose(expected, z.AsSpan(c.Offset, n), "dz");
    }

    [Fact]
    public void SoftmaxCrossEntropy_HugeLogits_StayFinite()
    {
        var z = new float[] { 1e30f, -1e30f, 0f };
        float loss = SoftmaxCrossEntropy.ForwardBackward<float>(z, 1);
        Assert.True(float.IsFinite(loss) && loss > 1e29f, $"loss {loss}");
        Assert.Equal([1f, -1f, 0f], z); // softmax is (1, 0, 0)
    }

    [Fact]
    public void SoftmaxCrossEntropy_TargetOutOfRange_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxCrossEntropy.ForwardBackward<double>(new double[3], 3));
        Assert.Equal("y", e.ParamName);
    }

    [Property]
    public void Gemv_MatchesLoop_Float(KernelCase c) => CheckGemv<float>(c);

    [Property]
    public void Gemv_MatchesLoop_Double(KernelCase c) => CheckGemv<double>(c);

    private static void CheckGemv<T>(KernelCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        int m = c.M, n = c.N, stride = n + c.Pad;
        var a = Data.Uniform<T>(random, c.Offset + m * stride);
        var x = Data.Uniform<T>(random, Math.Max(m, n) + c.Offset);
        var y0 = Data.Uniform<T>(random, Math.Max(m, n) + c.Offset);
        T beta = T.CreateTruncating(random.Next(3) == 0 ? 0 : 2 * random.NextDouble() - 1);
        var am = new ReadOnlyMatrixSpan<T>(a.AsSpan(c.Offset), m, n, stride);
        double b = double.CreateTruncating(beta);

        // y = A x + beta y
        var y = (T[])y0.Clone();
        var expected = new double[m];
        var scale = new double[m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double p = double.CreateTruncating(am[i, j]) * double.CreateTruncating(x[c.Offset + j]);
                expected[i] += p;
                scale[i] += Math.Abs(p);
            }
            expected[i] += b * double.CreateTruncating(y0[c.Offset + i]);
        }
        Gemv.Multiply(y.AsSpan(c.Offset, m), am, x.AsSpan(c.Offset, n), beta);
        for (int i = 0; i < m; i++)
            Tolerance.AssertClose([expected[i]], y.AsSpan(c.Offset + i, 1), $"Ax[{i}]", scale[i] + 1);

        // y = A^T x + beta y
        y = (T[])y0.Clone();
        expected = new double[n];
        scale = new double[n];
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                double p = double.CreateTruncating(am[i, j]) * double.CreateTruncating(x[c.Offset + i]);
                expected[j] += p;
                scale[j] += Math.Abs(p);
            }
            expected[j] += b * double.CreateTruncating(y0[c.Offset + j]);
        }
        Gemv.MultiplyTransposed(y.AsSpan(c.Offset, n), am, x.AsSpan(c.Offset, m), beta);
        for (int j = 0; j < n; j++)
            Tolerance.AssertClose([expected[j]], y.AsSpan(c.Offset + j, 1), $"A^T x[{j}]", scale[j] + 1);
    }

    [Property]
    public void Ger_MatchesLoop_AndLeavesPaddingAlone(KernelCase c)
    {
        var random = new Random(c.Seed);
        int m = c.M, n = c.N, stride = n + c.Pad;
        var a = Data.Uniform<float>(random, c.Offset + m * stride);
        var before = (float[])a.Clone();
        var x = Data.Uniform<float>(random, m);
        var y = Data.Uniform<float>(random, n);
        float alpha = (float)(2 * random.NextDouble() - 1);
        Ger.Update(new MatrixSpan<float>(a.AsSpan(c.Offset), m, n, stride), x, y, alpha);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < stride; j++)
            {
                int at = c.Offset + i * stride + j;
                double expected = j < n ? before[at] + (double)alpha * x[i] * y[j] : before[at];
                Tolerance.AssertClose([expected], a.AsSpan(at, 1), $"A[{i},{j}]");
            }
    }

    [Property]
    public void OneHot_GatherAndScatterAdd_MatchLoops(KernelCase c)
    {
        var random = new Random(c.Seed);
        int vocabulary = c.M + 1, h = c.N, steps = random.Next(0, 12), stride = h + c.Pad;
        var table = Data.Uniform<double>(random, c.Offset + vocabulary * stride);
        var ids = Data.Tokens(random, steps, vocabulary);
        var z = new double[c.Offset + steps * stride];
        var tm = new MatrixSpan<double>(table.AsSpan(c.Offset), vocabulary, h, stride);
        OneHot.Gather(new MatrixSpan<double>(z.AsSpan(c.Offset), steps, h, stride), tm, ids);
        for (int t = 0; t < steps; t++)
            for (int j = 0; j < h; j++)
                Assert.Equal(tm[ids[t], j], z[c.Offset + t * stride + j]);

        var before = (double[])table.Clone();
        OneHot.ScatterAdd(tm, new ReadOnlyMatrixSpan<double>(z.AsSpan(c.Offset), steps, h, stride), ids);
        for (int r = 0; r < vocabulary; r++)
        {
            int count = ids.Count(id => id == r);
            for (int j = 0; j < h; j++)
            {
                int at = c.Offset + r * stride + j;
                Tolerance.AssertClose([before[at] * (1 + count)], table.AsSpan(at, 1), $"table[{r},{j}]");
            }
        }
    }

    [Fact]
    public void OneHot_IdOutOfRange_ThrowsNamingTheId()
    {
        var table = new float[4 * 2];
        var z = new float[2 * 2];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            OneHot.Gather(new MatrixSpan<float>(z, 2, 2), new ReadOnlyMatrixSpan<float>(table, 4, 2), [1, 4]));
        Assert.Equal(4, e.ActualValue);
    }

    [Property]
    public void Activation_VectorSigmoidAndTanh_MatchMath(KernelCase c)
    {
        // Absolute error: near 0, tanh via σ loses its relative accuracy but not its absolute one.
        var random = new Random(c.Seed);
        var xf = new float[Vector<float>.Count];
        var xd = new double[Vector<double>.Count];
        for (int i = 0; i < xf.Length; i++) xf[i] = (float)((2 * random.NextDouble() - 1) * Math.Pow(10, random.Next(-4, 2)));
        for (int i = 0; i < xd.Length; i++) xd[i] = (2 * random.NextDouble() - 1) * Math.Pow(10, random.Next(-4, 2));
        var sf = Activation.Sigmoid(new Vector<float>(xf));
        var tf = Activation.Tanh(new Vector<float>(xf));
        for (int i = 0; i < xf.Length; i++)
        {
            Assert.True(Math.Abs(sf[i] - 1 / (1 + Math.Exp(-xf[i]))) <= 3e-7, $"σ({xf[i]}) = {sf[i]}");
            Assert.True(Math.Abs(tf[i] - Math.Tanh(xf[i])) <= 6e-7, $"tanh({xf[i]}) = {tf[i]}");
        }
        var sd = Activation.Sigmoid(new Vector<double>(xd));
        var td = Activation.Tanh(new Vector<double>(xd));
        for (int i = 0; i < xd.Length; i++)
        {
            Assert.True(Math.Abs(sd[i] - 1 / (1 + Math.Exp(-xd[i]))) <= 1e-15, $"σ({xd[i]}) = {sd[i]}");
            Assert.True(Math.Abs(td[i] - Math.Tanh(xd[i])) <= 2e-15, $"tanh({xd[i]}) = {td[i]}");
        }
    }

    [Property]
    public void ExpFloat_MatchesMathExp_WithinTwoUlps(KernelCase c)
    {
        // Arguments over the whole normal range of e^x, most of them where σ and tanh live.
        var random = new Random(c.Seed);
        var x = new float[Vector<float>.Count];
        for (int i = 0; i < x.Length; i++)
            x[i] = random.Next(4) == 0 ? (float)(random.NextDouble() * 175.7 - 87.3) : (float)(random.NextDouble() * 20 - 10);
        var e = Activation.ExpFloat(new Vector<float>(x));
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Exp(x[i]);
            Assert.True(Math.Abs(e[i] - exact) <= 2.4e-7 * exact, $"e^{x[i]} = {e[i]}, exact {exact}");
        }
    }

    [Theory]
    [InlineData(0f, 1f)]
    [InlineData(1f, 2.7182817f)]
    [InlineData(100f, float.PositiveInfinity)]
    [InlineData(float.PositiveInfinity, float.PositiveInfinity)]
    [InlineData(float.NaN, float.NaN)]
    public void ExpFloat_SpecialValues(float x, float expected)
    {
        var e = Activation.ExpFloat(new Vector<float>(x));
        for (int i = 0; i < Vector<float>.Count; i++) Assert.Equal(expected, e[i]);
    }

    [Theory]
    [InlineData(-88f)]
    [InlineData(-100f)]
    [InlineData(-1e30f)]
    [InlineData(float.NegativeInfinity)]
    public void ExpFloat_BelowTheNormalRange_IsTheSmallestNormalFloatAtMost(float x)
    {
        var e = Activation.ExpFloat(new Vector<float>(x));
        for (int i = 0; i < Vector<float>.Count; i++)
            Assert.True(e[i] >= 0 && e[i] <= 1.2e-38f && !float.IsSubnormal(e[i]), $"e^{x} = {e[i]}");
    }

    [Fact]
    public void ExpFloat_NaNInAnyLane_StaysInThatLaneOnly()
    {
        var x = new float[Vector<float>.Count];
        x[^1] = float.NaN;
        var e = Activation.ExpFloat(new Vector<float>(x));
        Assert.True(float.IsNaN(e[x.Length - 1]));
        for (int i = 0; i < x.Length - 1; i++) Assert.Equal(1f, e[i]);
    }

    [Fact]
    public void Activation_AtTheExtremes_StaysFinite()
    {
        var x = new Vector<float>(new float[Vector<float>.Count].Select((_, i) => i % 2 == 0 ? 1e30f : -1e30f).ToArray());
        var s = Activation.Sigmoid(x);
        var t = Activation.Tanh(x);
        for (int i = 0; i < Vector<float>.Count; i++)
        {
            Assert.Equal(i % 2 == 0 ? 1f : 0f, s[i]);
            Assert.Equal(i % 2 == 0 ? 1f : -1f, t[i]);
        }
        // A NaN pre-activation must not turn into a plausible number.
        Assert.True(float.IsNaN(Activation.Sigmoid(new Vector<float>(float.NaN))[0]));
        Assert.True(float.IsNaN(Activation.Tanh(new Vector<float>(float.NaN))[0]));
    }
}
