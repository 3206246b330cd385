using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Reference;
using SimdRnn.Tests.Support;
using SimdRnn.Training;
using Xunit;

namespace SimdRnn.Tests.Training;

/// <summary>A run of an optimizer: N parameters starting at an unaligned offset, a few steps, one seed.</summary>
public sealed record OptimizerCase(int N, int Offset, int Steps, int Seed);

/// <summary>Generators for the optimizer properties.</summary>
public static class OptimizerGenerators
{
    /// <summary>Lengths 0..70 hit every tail of 8- and 16-wide vectors; 1 to 5 steps.</summary>
    public static Arbitrary<OptimizerCase> Cases() =>
        (from n in Gen.Choose(0, 70)
         from offset in Gen.Choose(0, 7)
         from steps in Gen.Choose(1, 5)
         from seed in Gen.Choose(0, int.MaxValue)
         select new OptimizerCase(n, offset, steps, seed)).ToArbitrary();
}

/// <summary>Every optimizer, at every vector width, against its PyTorch-formula reference twin.</summary>
[Properties(Arbitrary = new[] { typeof(OptimizerGenerators) }, MaxTest = 100)]
public class OptimizerTests
{
    /// <summary>The optimizers under test.</summary>
    public enum Kind { Sgd, Adagrad, RmsProp, Adam }

    /// <summary>How a step runs: as dispatched, or forced onto one width (the runtime emulates a
    /// width the hardware lacks, so every loop is checked on every machine).</summary>
    public enum Width { Dispatched, Vector512, Vector256, Scalar }

    /// <summary>The reference twin, reduced to what the tests need.</summary>
    private sealed record Twin(Action<double[], double[]> Step, Action<double> SetRate);

    private static double Between(Random r, double a, double b) => a + (b - a) * r.NextDouble();

    private static double LogBetween(Random r, double a, double b) => Math.Exp(Between(r, Math.Log(a), Math.Log(b)));

    /// <summary>An optimizer with random hyper-parameters in their valid ranges, and its twin.</summary>
    private static (IOptimizer<T> Fast, Twin Twin, string What) Make<T>(Kind kind, Random r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double lr = LogBetween(r, 1e-3, 0.1);
        double momentum = r.Next(2) == 0 ? 0 : Between(r, 0, 0.99);
        double wd = r.Next(2) == 0 ? 0 : Between(r, 0, 0.1);
        double eps = LogBetween(r, 1e-10, 1e-3);
        switch (kind)
        {
            case Kind.Sgd:
            {
                bool nesterov = momentum > 0 && r.Next(2) == 0;
                var twin = new ReferenceSgd(lr, momentum, nesterov, wd);
                return (new Sgd<T>(lr, momentum, nesterov, wd), new Twin(twin.Step, v => twin.LearningRate = v),
                        $"Sgd(lr {lr}, momentum {momentum}, nesterov {nesterov}, wd {wd})");
            }
            case Kind.Adagrad:
            {
                var twin = new ReferenceAdagrad(lr, eps, wd);
                return (new Adagrad<T>(lr, eps, wd), new Twin(twin.Step, v => twin.LearningRate = v),
                        $"Adagrad(lr {lr}, eps {eps}, wd {wd})");
            }
            case Kind.RmsProp:
            {
                double alpha = r.Next(3) == 0 ? 0.99 : Between(r, 0, 0.999);
                var twin = new ReferenceRmsProp(lr, alpha, eps, momentum, wd);
                return (new RmsProp<T>(lr, alpha, eps, momentum, wd), new Twin(twin.Step, v => twin.LearningRate = v),
                        $"RmsProp(lr {lr}, alpha {alpha}, eps {eps}, momentum {momentum}, wd {wd})");
            }
            default:
            {
                double beta1 = r.Next(4) == 0 ? 0 : Between(r, 0, 0.99);
                double beta2 = r.Next(3) == 0 ? 0.999 : Between(r, 0.5, 0.9999);
                var twin = new ReferenceAdam(lr, beta1, beta2, eps, wd);
                return (new Adam<T>(lr, beta1, beta2, eps, wd), new Twin(twin.Step, v => twin.LearningRate = v),
                        $"Adam(lr {lr}, beta1 {beta1}, beta2 {beta2}, eps {eps}, wd {wd})");
            }
        }
    }

    /// <summary>One step of <paramref name="optimizer"/> on the loops <paramref name="width"/> selects.</summary>
    private static void StepAt<T>(IOptimizer<T> optimizer, Span<T> p, ReadOnlySpan<T> g, Width width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = (VectorWidth)(int)width;
        switch (optimizer)
        {
            case Sgd<T> o: o.Step(p, g, w); break;
            case Adagrad<T> o: o.Step(p, g, w); break;
            case RmsProp<T> o: o.Step(p, g, w); break;
            case Adam<T> o: o.Step(p, g, w); break;
            default: throw new InvalidOperationException(optimizer.GetType().Name);
        }
    }

    [Property]
    public void Step_MatchesReference_Float(OptimizerCase c, Kind kind, Width width) => CheckAgainstReference<float>(c, kind, width);

    [Property]
    public void Step_MatchesReference_Double(OptimizerCase c, Kind kind, Width width) => CheckAgainstReference<double>(c, kind, width);

    /// <summary>
    /// Runs the fast optimizer and its twin side by side and, after every step, compares the
    /// change of each parameter since the start: the tolerance is relative to the path the twin's
    /// parameter travelled (the sum of its step sizes), so that a small update on a large
    /// parameter is held to the precision of the update, not of the parameter.
    /// </summary>
    private static void CheckAgainstReference<T>(OptimizerCase c, Kind kind, Width width) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(c.Seed);
        int n = c.N, offset = c.Offset;
        var (fast, twin, what) = Make<T>(kind, random);
        using var _ = fast;
        var p = Data.Uniform<T>(random, offset + n + 1);
        T sentinel = p[offset + n];
        var start = Data.ToDouble<T>(p.AsSpan(offset, n));
        var expected = (double[])start.Clone();
        var path = new double[n];
        double gradientScale = random.Next(3) == 0 ? 1e-3 : 1;
        for (int step = 1; step <= c.Steps; step++)
        {
            if (step > 1 && random.Next(3) == 0)
            {
                double rate = LogBetween(random, 1e-3, 0.1);
                fast.LearningRate = rate;
                twin.SetRate(rate);
            }
            var g = Data.Uniform<T>(random, offset + n, gradientScale);
            var before = (double[])expected.Clone();
            twin.Step(expected, Data.ToDouble<T>(g.AsSpan(offset, n)));
            StepAt(fast, p.AsSpan(offset, n), g.AsSpan(offset, n), width);

            for (int i = 0; i < n; i++)
            {
                path[i] += Math.Abs(expected[i] - before[i]);
                T change = T.CreateTruncating(double.CreateTruncating(p[offset + i]) - start[i]);
                Tolerance.AssertClose([expected[i] - start[i]], new[] { change }, $"{what}, step {step}, Δθ[{i}] of {n}", path[i]);
            }
            Assert.Equal(sentinel, p[offset + n]);
        }
    }

    [Property]
    public void Step_IsBitIdenticalAtEveryWidth_Float(OptimizerCase c, Kind kind) => CheckWidthsAgree<float>(c, kind);

    [Property]
    public void Step_IsBitIdenticalAtEveryWidth_Double(OptimizerCase c, Kind kind) => CheckWidthsAgree<double>(c, kind);

    /// <summary>The vector loops perform the scalar loop's operations in its order (no fused
    /// multiply-add), so every width must give the same bits: results do not depend on the machine.</summary>
    private static void CheckWidthsAgree<T>(OptimizerCase c, Kind kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var widths = Enum.GetValues<Width>();
        var optimizers = new IOptimizer<T>[widths.Length];
        var parameters = new T[widths.Length][];
        var random = new Random(c.Seed);
        var p0 = Data.Uniform<T>(random, c.Offset + c.N);
        for (int w = 0; w < widths.Length; w++)
        {
            optimizers[w] = Make<T>(kind, new Random(c.Seed + 1)).Fast;
            parameters[w] = (T[])p0.Clone();
        }
        try
        {
            for (int step = 1; step <= c.Steps; step++)
            {
                var g = Data.Uniform<T>(random, c.Offset + c.N);
                for (int w = 0; w < widths.Length; w++)
                    StepAt(optimizers[w], parameters[w].AsSpan(c.Offset, c.N), g.AsSpan(c.Offset, c.N), widths[w]);
                for (int w = 1; w < widths.Length; w++)
                    Assert.True(parameters[0].AsSpan().SequenceEqual(parameters[w]), $"{kind} {widths[w]} differs from {widths[0]} at step {step}");
            }
        }
        finally
        {
            foreach (var o in optimizers) o.Dispose();
        }
    }

    public static TheoryData<Kind> Kinds() => new(Enum.GetValues<Kind>());

    private static IOptimizer<T> WithState<T>(Kind kind) where T : unmanaged, IFloatingPointIeee754<T> => kind switch
    {
        Kind.Sgd => new Sgd<T>(0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        Kind.Adagrad => new Adagrad<T>(weightDecay: 0.01),
        Kind.RmsProp => new RmsProp<T>(momentum: 0.5, weightDecay: 0.01),
        _ => new Adam<T>(weightDecay: 0.01),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Step_InSteadyState_AllocatesNothing(Kind kind)
    {
        CheckNoAllocation<float>(kind);
        CheckNoAllocation<double>(kind);
    }

    private static void CheckNoAllocation<T>(Kind kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(1);
        var p = Data.Uniform<T>(random, 1003);
        var g = Data.Uniform<T>(random, 1003);
        using var optimizer = WithState<T>(kind);
        int step = 0;
        void Call()
        {
            if (++step % 10 == 0)
                optimizer.Reset();
            optimizer.LearningRate = 0.01 / step;
            optimizer.Step(p, g);
        }
        long allocated = Allocations.LeastPerWindow(Call, callsPerWindow: 11, warmUps: 2);
        Assert.True(allocated == 0, $"{kind}<{typeof(T).Name}> allocated {allocated} bytes in steady state");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Reset_ThenStep_EqualsAFreshOptimizersFirstStep(Kind kind)
    {
        var random = new Random(7);
        var p0 = Data.Uniform<double>(random, 37);
        var g1 = Data.Uniform<double>(random, 37);
        var g2 = Data.Uniform<double>(random, 37);
        using var used = WithState<double>(kind);
        using var fresh = WithState<double>(kind);
        var p = (double[])p0.Clone();
        used.Step(p, g1);
        used.Step(p, g2);
        used.Reset();
        p = (double[])p0.Clone();
        used.Step(p, g2);
        var q = (double[])p0.Clone();
        fresh.Step(q, g2);
        Assert.Equal(q, p);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Step_WithMismatchedLengths_ThrowsNamingTheArgument(Kind kind)
    {
        using var optimizer = WithState<float>(kind);
        var e = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[5], new float[4]));
        Assert.Equal("gradients", e.ParamName);
        optimizer.Step(new float[5], new float[5]);
        e = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[6], new float[6]));
        Assert.Equal("parameters", e.ParamName);
        optimizer.Reset();
        e = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[4], new float[4]));
        Assert.Equal("parameters", e.ParamName);
        optimizer.Step(new float[5], new float[5]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void UseAfterDispose_Throws(Kind kind)
    {
        var optimizer = WithState<double>(kind);
        optimizer.Step(new double[3], new double[3]);
        optimizer.Dispose();
        optimizer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => optimizer.Step(new double[3], new double[3]));
        Assert.Throws<ObjectDisposedException>(() => optimizer.Reset());
        var never = WithState<double>(kind);
        never.Dispose();
        Assert.Throws<ObjectDisposedException>(() => never.Step(new double[3], new double[3]));
    }

    public static TheoryData<string, Func<object>> BadArguments() => new()
    {
        { "learningRate", () => new Sgd<float>(0) },
        { "learningRate", () => new Sgd<float>(-0.1) },
        { "learningRate", () => new Sgd<float>(double.NaN) },
        { "learningRate", () => new Sgd<float>(double.PositiveInfinity) },
        { "momentum", () => new Sgd<float>(0.1, momentum: -0.5) },
        { "momentum", () => new Sgd<float>(0.1, momentum: double.NaN) },
        { "weightDecay", () => new Sgd<float>(0.1, weightDecay: -1e-3) },
        { "learningRate", () => new Adagrad<double>(learningRate: 0) },
        { "epsilon", () => new Adagrad<double>(epsilon: -1e-10) },
        { "weightDecay", () => new Adagrad<double>(weightDecay: double.PositiveInfinity) },
        { "learningRate", () => new RmsProp<float>(learningRate: -1) },
        { "alpha", () => new RmsProp<float>(alpha: -0.01) },
        { "alpha", () => new RmsProp<float>(alpha: 1.01) },
        { "epsilon", () => new RmsProp<float>(epsilon: double.NaN) },
        { "momentum", () => new RmsProp<float>(momentum: -0.9) },
        { "weightDecay", () => new RmsProp<float>(weightDecay: -0.1) },
        { "learningRate", () => new Adam<double>(learningRate: double.NaN) },
        { "beta1", () => new Adam<double>(beta1: 1) },
        { "beta1", () => new Adam<double>(beta1: -0.1) },
        { "beta2", () => new Adam<double>(beta2: 1) },
        { "beta2", () => new Adam<double>(beta2: double.NaN) },
        { "epsilon", () => new Adam<double>(epsilon: -1) },
        { "weightDecay", () => new Adam<double>(weightDecay: -1) },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Constructor_WithBadArgument_ThrowsNamingIt(string name, Func<object> create)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void Sgd_NesterovWithoutMomentum_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new Sgd<float>(0.1, momentum: 0, nesterov: true));
        Assert.Equal("nesterov", e.ParamName);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LearningRate_SetToBadValue_Throws_AndKeepsTheOldRate(Kind kind)
    {
        using var optimizer = WithState<float>(kind);
        double rate = optimizer.LearningRate;
        foreach (double bad in new[] { 0, -1, double.NaN, double.PositiveInfinity })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = bad);
            Assert.Equal("value", e.ParamName);
        }
        Assert.Equal(rate, optimizer.LearningRate);
        optimizer.LearningRate = 0.25;
        Assert.Equal(0.25, optimizer.LearningRate);
    }

    // Known values, worked on paper from the PyTorch formulas (θ = 1, g = 0.5 unless stated).

    private static double[] Run<T>(IOptimizer<T> optimizer, params double[][] gradients) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var _ = optimizer;
        var theta = new[] { T.One, T.One, -T.One };
        var trace = new List<double>();
        foreach (var g in gradients)
        {
            // The third parameter mirrors the first (θ = −1, −g): every update is odd in (θ, g).
            optimizer.Step(theta, new[] { T.CreateTruncating(g[0]), T.CreateTruncating(g[0]), T.CreateTruncating(-g[0]) });
            Assert.Equal(theta[0], theta[1]);
            Assert.Equal(theta[0], -theta[2]);
            trace.Add(double.CreateTruncating(theta[0]));
        }
        return trace.ToArray();
    }

    private static void AssertKnown<T>(double[] expected, double[] actual, string what) where T : unmanaged, IFloatingPointIeee754<T>
        => Tolerance.AssertClose(expected, actual.Select(T.CreateTruncating).ToArray(), what);

    [Fact]
    public void Sgd_KnownValues() { SgdKnown<float>(); SgdKnown<double>(); }

    private static void SgdKnown<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] half = [0.5];
        // Plain: θ = 1 − 0.1·0.5 = 0.95, then 0.90.
        AssertKnown<T>([0.95, 0.90], Run(new Sgd<T>(0.1), half, half), "plain");
        // Weight decay 0.1: g' = 0.5 + 0.1·1 = 0.6, θ = 0.94; then g' = 0.5 + 0.094 = 0.594, θ = 0.94 − 0.0594 = 0.8806.
        AssertKnown<T>([0.94, 0.8806], Run(new Sgd<T>(0.1, weightDecay: 0.1), half, half), "weight decay");
        // Momentum 0.9: b = 0.5 (first step copies g), θ = 0.95; b = 0.45 + 0.5 = 0.95, θ = 0.95 − 0.095 = 0.855.
        AssertKnown<T>([0.95, 0.855], Run(new Sgd<T>(0.1, momentum: 0.9), half, half), "momentum");
        // Nesterov: b = 0.5, d = 0.5 + 0.45 = 0.95, θ = 0.905; b = 0.95, d = 0.5 + 0.855 = 1.355, θ = 0.905 − 0.1355 = 0.7695.
        AssertKnown<T>([0.905, 0.7695], Run(new Sgd<T>(0.1, momentum: 0.9, nesterov: true), half, half), "nesterov");
    }

    [Fact]
    public void Adagrad_KnownValues() { AdagradKnown<float>(); AdagradKnown<double>(); }

    private static void AdagradKnown<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] half = [0.5];
        // ε = 0: s = 0.25, θ = 1 − 0.1·0.5/0.5 = 0.9; s = 0.5, θ = 0.9 − 0.1·0.5/√0.5 = 0.9 − 0.05·√2.
        AssertKnown<T>([0.9, 0.9 - 0.05 * Math.Sqrt(2)], Run(new Adagrad<T>(0.1, epsilon: 0), half, half), "ε = 0");
        // ε = 0.5: θ = 1 − 0.1·0.5/(0.5 + 0.5) = 0.95.
        AssertKnown<T>([0.95], Run(new Adagrad<T>(0.1, epsilon: 0.5), half), "ε = 0.5");
    }

    [Fact]
    public void RmsProp_KnownValues() { RmsPropKnown<float>(); RmsPropKnown<double>(); }

    private static void RmsPropKnown<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] half = [0.5];
        // ε = 0, α = 0.99: v = 0.01·0.25 = 0.0025, √v = 0.05, θ = 1 − 0.01·0.5/0.05 = 0.9;
        // v = 0.99·0.0025 + 0.0025 = 0.004975, θ = 0.9 − 0.01·0.5/√0.004975.
        AssertKnown<T>([0.9, 0.9 - 0.005 / Math.Sqrt(0.004975)], Run(new RmsProp<T>(0.01, epsilon: 0), half, half), "plain");
        // Momentum 0.9: b = 0.5/0.05 = 10, θ = 0.9; b = 9 + 0.5/√0.004975, θ = 0.9 − 0.01·b.
        AssertKnown<T>([0.9, 0.9 - 0.01 * (9 + 0.5 / Math.Sqrt(0.004975))],
                       Run(new RmsProp<T>(0.01, epsilon: 0, momentum: 0.9), half, half), "momentum");
    }

    [Fact]
    public void Adam_KnownValues() { AdamKnown<float>(); AdamKnown<double>(); }

    private static void AdamKnown<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        // With a constant gradient g the bias-corrected moments are exactly m̂ = g and v̂ = g² at
        // every step t (m = (1 − β₁ᵗ)g, v = (1 − β₂ᵗ)g²), so each step moves θ by
        // lr·g/(|g| + ε) = lr/(1 + ε/|g|): with lr = 0.1, g = 0.5, ε = 0.5 that is 0.05 per step.
        AssertKnown<T>([0.95, 0.90, 0.85], Run(new Adam<T>(0.1, epsilon: 0.5), [0.5], [0.5], [0.5]), "constant g");
        // The defaults (lr 1e-3, ε 1e-8): one step is 1e-3/(1 + 2e-8).
        AssertKnown<T>([1 - 1e-3 / (1 + 2e-8)], Run(new Adam<T>(), [0.5]), "defaults");
        // β₁ = 0.5, β₂ = 0.75, ε = 0, lr = 0.1; g = 0.5 then g = −0.5:
        // step 1: m̂ = 0.5, v̂ = 0.25, θ = 1 − 0.1 = 0.9;
        // step 2: m = 0.5·0.25 − 0.25 = −0.125, m̂ = −0.125/0.75 = −1/6; v = 0.75·0.0625 + 0.0625 = 0.109375,
        //         v̂ = 0.109375/0.4375 = 0.25, θ = 0.9 + 0.1·(1/6)/0.5 = 0.9 + 1/30.
        AssertKnown<T>([0.9, 0.9 + 1.0 / 30], Run(new Adam<T>(0.1, beta1: 0.5, beta2: 0.75, epsilon: 0), [0.5], [-0.5]), "sign flip");
    }
}
