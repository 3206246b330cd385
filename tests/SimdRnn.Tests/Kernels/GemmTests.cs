// Gemm: C is (M, N), op(A) is (M, K), op(B) is (K, N); C = alpha * op(A) * op(B) + beta * C.
// Every property runs the automatic choice and each implementation (small, Vector512, Vector256,
// scalar) explicitly, so one machine covers all of them (a width the hardware lacks runs in
// software); the suite is also run under DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0 and
// DOTNET_EnableHWIntrinsic=0 to change what the automatic choice and the packing take.
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Kernels;
using SimdRnn.Memory;
using SimdRnn.Tests.Support;
using Xunit;

namespace SimdRnn.Tests.Kernels;

/// <summary>One random GEMM problem: shapes, transposes, stride padding, offsets into the backing
/// arrays, alpha, beta, and the seed the matrix entries are drawn from.</summary>
public sealed record GemmCase(int M, int N, int K, bool TransposeA, bool TransposeB,
                              int PadA, int PadB, int PadC, int OffsetA, int OffsetB, int OffsetC,
                              double Alpha, double Beta, int Seed);

public static class GemmGenerators
{
    private static Gen<double> Bounded => Gen.Choose(-1000, 1000).Select(i => i / 1000.0);

    /// <summary>Sizes 0..70 hit every tail of 8- and 16-wide vectors and of every tile shape.</summary>
    public static Arbitrary<GemmCase> Cases() => Arb.From(Problems(70));

    /// <summary>Problems with M, N, K in 0..maxSize, every transpose, row padding 0..5, start
    /// offsets 0..7, and alpha, beta among 1, -0.5, 0 and random values.</summary>
    public static Gen<GemmCase> Problems(int maxSize) => Problems(maxSize, maxSize);

    /// <summary>M and N in [0, maxSize], K in [0, maxDepth], any transposes, paddings, offsets, alpha and beta.</summary>
    public static Gen<GemmCase> Problems(int maxSize, int maxDepth)
    {
        Gen<int> size = Gen.Choose(0, maxSize), depth = Gen.Choose(0, maxDepth), pad = Gen.Choose(0, 5), offset = Gen.Choose(0, 7);
        Gen<double> alpha = Gen.OneOf(Gen.Constant(1.0), Gen.Constant(-0.5), Bounded);
        Gen<double> beta = Gen.OneOf(Gen.Constant(0.0), Gen.Constant(1.0), Bounded);
        Gen<bool> flag = Gen.Elements(false, true);
        return
            from m in size
            from n in size
            from k in depth
            from ta in flag
            from tb in flag
            from pa in pad
            from pb in pad
            from pc in pad
            from oa in offset
            from ob in offset
            from oc in offset
            from al in alpha
            from be in beta
            from seed in Gen.Choose(0, int.MaxValue - 1)
            select new GemmCase(m, n, k, ta, tb, pa, pb, pc, oa, ob, oc, al, be, seed);
    }
}

[Properties(Arbitrary = new[] { typeof(GemmGenerators) }, MaxTest = 100)]
public class GemmTests
{
    private static readonly GemmPath[] AllPaths =
        [GemmPath.Auto, GemmPath.Small, GemmPath.Vector512, GemmPath.Vector512Wide, GemmPath.Vector256, GemmPath.Scalar];

    private static readonly GemmPath[] PackedPaths = [GemmPath.Auto, GemmPath.Vector512, GemmPath.Vector512Wide, GemmPath.Vector256, GemmPath.Scalar];

    [Property]
    public void Multiply_MatchesNaiveLoop_ForAnyShapeTransposeAndStride_Float(GemmCase cs)
    {
        foreach (GemmPath path in AllPaths)
            GemmProblem<float>.From(cs).RunAndCheck(path);
    }

    [Property]
    public void Multiply_MatchesNaiveLoop_ForAnyShapeTransposeAndStride_Double(GemmCase cs)
    {
        foreach (GemmPath path in AllPaths)
            GemmProblem<double>.From(cs).RunAndCheck(path);
    }

    /// <summary>The W1 shapes and shapes that cross the KC, MC and NC block edges of every kernel.</summary>
    [Theory]
    [InlineData(20, 8000, 100, false, true)]   // O = S V^T: N crosses NC of every kernel
    [InlineData(8000, 100, 20, true, false)]   // dV = dO^T S: M crosses MC
    [InlineData(20, 100, 8000, false, false)]  // dS = dO V: K crosses KC many times
    [InlineData(129, 257, 300, false, false)]
    [InlineData(129, 257, 300, false, true)]
    [InlineData(129, 257, 300, true, false)]
    [InlineData(129, 257, 300, true, true)]
    [InlineData(3, 9000, 5, false, false)]     // N crosses NC of the 512 kernel
    public void Multiply_MatchesNaiveLoop_AcrossCacheBlocks(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var cs = new GemmCase(m, n, k, transposeA, transposeB, 3, 1, 2, 1, 5, 3, -0.5, 0.25, m * 31 + n * 7 + k);
        foreach (GemmPath path in PackedPaths)
            GemmProblem<float>.From(cs).RunAndCheck(path);
        GemmProblem<double>.From(cs).RunAndCheck(GemmPath.Auto);
        GemmProblem<double>.From(cs with { Beta = 0 }).RunAndCheck(GemmPath.Auto);
    }

    [Theory]
    [InlineData(1, 100, 100, false, true)]
    [InlineData(37, 91, 260, true, true)]
    public void Multiply_IsBitIdentical_AcrossRepeatedCalls(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var cs = new GemmCase(m, n, k, transposeA, transposeB, 0, 0, 0, 0, 0, 0, 1, 0, 42);
        GemmProblem<float> first = GemmProblem<float>.From(cs), second = GemmProblem<float>.From(cs);
        first.Run(GemmPath.Auto);
        second.Run(GemmPath.Auto);
        second.Run(GemmPath.Auto);
        Assert.Equal(first.C, second.C);
    }

    [Theory]
    [InlineData(1, 100, 100, false, true)]    // the small path
    [InlineData(20, 300, 100, false, true)]   // the packed path
    [InlineData(40, 100, 600, true, false)]
    public void Multiply_AllocatesNothing_InSteadyState(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var cs = new GemmCase(m, n, k, transposeA, transposeB, 0, 0, 0, 0, 0, 0, 1, 1, 7);
        GemmProblem<float> p = GemmProblem<float>.From(cs);
        Assert.Equal(0, Allocations.LeastPerWindow(() => p.Run(GemmPath.Auto), callsPerWindow: 1, warmUps: 1));
    }

    [Fact]
    public void Multiply_WithZeroK_SetsCToBetaTimesC()
    {
        float[] c = [1, 2, float.NaN, 4];
        Gemm.Multiply(new MatrixSpan<float>(c, 2, 2), new ReadOnlyMatrixSpan<float>([], 2, 0), false,
                      new ReadOnlyMatrixSpan<float>([], 0, 2), false, 1f, 0f);
        Assert.Equal([0f, 0f, 0f, 0f], c);
        float[] d = [1, 2, 3, 4];
        Gemm.Multiply(new MatrixSpan<float>(d, 2, 2), new ReadOnlyMatrixSpan<float>([], 0, 2), true,
                      new ReadOnlyMatrixSpan<float>([], 2, 0), true, 1f, 2f);
        Assert.Equal([2f, 4f, 6f, 8f], d);
    }

    [Theory]
    [InlineData(3, 4, 2, 5, 5, 4, "a")]  // op(A) has 2 rows, C has 3
    [InlineData(3, 4, 3, 5, 6, 4, "b")]  // op(B) has 6 rows, op(A) has 5 columns
    [InlineData(3, 4, 3, 5, 5, 3, "b")]  // op(B) has 3 columns, C has 4
    [InlineData(0, 4, 1, 5, 5, 4, "a")]  // an empty C still checks the shapes
    public void Multiply_Throws_ForMismatchedShapes(int cRows, int cCols, int aRows, int aCols, int bRows, int bCols, string argument)
    {
        float[] a = new float[aRows * aCols], b = new float[bRows * bCols], c = new float[cRows * cCols];
        var e = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(new MatrixSpan<float>(c, cRows, cCols), new ReadOnlyMatrixSpan<float>(a, aRows, aCols), false,
                          new ReadOnlyMatrixSpan<float>(b, bRows, bCols), false, 1f, 0f));
        Assert.Equal(argument, e.ParamName);
    }

    [Fact]
    public void Multiply_Throws_WhenTransposeDoesNotMatchTheStoredShape()
    {
        float[] a = new float[2 * 3], b = new float[3 * 4], c = new float[2 * 4];
        // A is stored (2, 3); transposed it is (3, 2), which does not give C's 2 rows.
        var e = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(new MatrixSpan<float>(c, 2, 4), new ReadOnlyMatrixSpan<float>(a, 2, 3), true,
                          new ReadOnlyMatrixSpan<float>(b, 3, 4), false, 1f, 0f));
        Assert.Equal("a", e.ParamName);
        // B is stored (3, 4); transposed it is (4, 3): 4 rows against op(A)'s 3 columns.
        e = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(new MatrixSpan<float>(c, 2, 4), new ReadOnlyMatrixSpan<float>(a, 2, 3), false,
                          new ReadOnlyMatrixSpan<float>(b, 3, 4), true, 1f, 0f));
        Assert.Equal("b", e.ParamName);
    }
}
