// Gemm over a ThreadTeam: C is (M, N), op(A) is (M, K), op(B) is (K, N); C = alpha * op(A) * op(B) + beta * C.
// The team splits C into tile-aligned chunks; every element must come out bit-identical to the
// single-threaded engine's, for any team size and any split. The single-threaded engine itself is
// checked against a naive loop in GemmTests. The suite also runs under DOTNET_EnableAVX2=0 and
// DOTNET_EnableHWIntrinsic=0, which change the kernel (and so MR and NR) the automatic path takes.
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Kernels;
using SimdRnn.Memory;
using SimdRnn.Tests.Support;
using SimdRnn.Tests.Threading;
using SimdRnn.Threading;
using Xunit;

namespace SimdRnn.Tests.Kernels;

/// <summary>A GEMM problem and a grid of chunks to force on the team (0 x 0: the planned split).</summary>
public sealed record ThreadedGemmCase(GemmCase Case, int RowChunks, int ColChunks);

public static class GemmThreadingGenerators
{
    /// <summary>Sizes 0..300 cross the tile edges of every kernel; K up to 1100 crosses the KC
    /// blocks (512 deep) twice.</summary>
    public static Arbitrary<ThreadedGemmCase> Cases()
    {
        Gen<int> chunks = Gen.Choose(1, 5);
        Gen<GemmCase> problem = GemmGenerators.Problems(300, 1100);
        Gen<ThreadedGemmCase> gen =
            from cs in problem
            from rows in chunks
            from cols in chunks
            select new ThreadedGemmCase(cs, rows, cols);
        return Arb.From(gen);
    }
}

[Properties(Arbitrary = new[] { typeof(GemmThreadingGenerators) }, MaxTest = 60)]
public class GemmThreadingTests
{
    // Shared by the tests of this class, which xunit runs one at a time.
    private static readonly ThreadTeam Two = new(2), Three = new(3);

    [Property]
    public void TeamMultiply_IsBitIdenticalToSingleThreaded_ForAnyShapeAndThreadCount(ThreadedGemmCase tc)
    {
        var p = GemmProblem<float>.From(tc.Case);
        float[] expected = p.Run(GemmPath.Auto, ThreadTeam.Single, 0, 0);
        foreach (ThreadTeam team in new[] { Two, Three })
        {
            // The planned split (which runs small products on the caller) and, with the size
            // threshold bypassed, the split the plan picks for this team at any size.
            p.AssertSame(expected, GemmPath.Auto, team, 0, 0);
            p.AssertSame(expected, GemmPath.Auto, team, -1, -1);
        }
        // An arbitrary grid of chunks, on three threads and inline on one.
        p.AssertSame(expected, GemmPath.Auto, Three, tc.RowChunks, tc.ColChunks);
        p.AssertSame(expected, GemmPath.Auto, ThreadTeam.Single, tc.RowChunks, tc.ColChunks);
        // And again: repeated calls give the same bits.
        p.AssertSame(expected, GemmPath.Auto, Three, tc.RowChunks, tc.ColChunks);
    }

    [Property(MaxTest = 20)]
    public void TeamMultiply_IsBitIdenticalToSingleThreaded_Double(ThreadedGemmCase tc)
    {
        var p = GemmProblem<double>.From(tc.Case);
        double[] expected = p.Run(GemmPath.Auto, ThreadTeam.Single, 0, 0);
        p.AssertSame(expected, GemmPath.Auto, Two, -1, -1);
        p.AssertSame(expected, GemmPath.Auto, Three, tc.RowChunks, tc.ColChunks);
    }

    /// <summary>Every packed kernel (each with its own MR x NR tiles and block sizes), forced.</summary>
    [Theory]
    [InlineData(nameof(GemmPath.Vector512))]
    [InlineData(nameof(GemmPath.Vector512Wide))]
    [InlineData(nameof(GemmPath.Vector256))]
    [InlineData(nameof(GemmPath.Scalar))]
    public void TeamMultiply_IsBitIdentical_OnEveryPackedKernel(string kernel)
    {
        GemmPath path = Enum.Parse<GemmPath>(kernel);
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var cs = new GemmCase(77, 131, 300, ta, tb, 3, 1, 2, 1, 5, 3, -0.5, 0.25, 11);
                var p = GemmProblem<float>.From(cs);
                float[] expected = p.Run(path, ThreadTeam.Single, 0, 0);
                p.AssertSame(expected, path, Two, -1, -1);
                p.AssertSame(expected, path, Three, 4, 3);
                p.AssertSame(expected, path, Three, 1, 5);
            }
    }

    /// <summary>The model's shapes, scaled down where the full size would slow the suite
    /// (recurrence, input projection, weight gradient, output layer) and W1's three products.</summary>
    [Theory]
    [InlineData(32, 2048, 512, false, true)]   // the per-step recurrence, (B, G*H) = (B, H) W_hh^T
    [InlineData(256, 512, 128, false, true)]   // an input projection, (T*B, G*H) = X W_ih^T
    [InlineData(512, 128, 256, true, false)]   // a weight gradient, dZ^T H
    [InlineData(2048, 65, 128, false, false)]  // the output layer, (T*B, C)
    [InlineData(20, 8000, 100, false, true)]   // W1: O = S V^T
    [InlineData(8000, 100, 20, true, false)]   // W1: dV = dO^T S
    [InlineData(20, 100, 8000, false, false)]  // W1: dS = dO V
    public void TeamMultiply_IsBitIdentical_AtTheModelsShapes(int m, int n, int k, bool ta, bool tb)
    {
        var cs = new GemmCase(m, n, k, ta, tb, 0, 0, 0, 0, 0, 0, 1, 0.5, m + n + k);
        var p = GemmProblem<float>.From(cs);
        float[] expected = p.Run(GemmPath.Auto, ThreadTeam.Single, 0, 0);
        p.AssertSame(expected, GemmPath.Auto, Two, 0, 0);
        p.AssertSame(expected, GemmPath.Auto, Three, 0, 0);
    }

    [Theory]
    [InlineData(32, 2048, 512, 2, 1, 2)]    // the recurrence: columns, so B is packed once
    [InlineData(2048, 65, 512, 2, 2, 1)]    // the output layer: rows, 5 column panels do not halve
    [InlineData(20, 8000, 100, 2, 1, 2)]
    [InlineData(8000, 100, 20, 2, 2, 1)]
    public void PlanSplit_CutsTheLongSide(int m, int n, int k, int workers, int rows, int cols)
    {
        _ = k;
        // The Vector256 float kernel's 6 x 16 tiles.
        Assert.Equal((rows, cols), Gemm.PlanSplit((m + 5) / 6, (n + 15) / 16, 6, 16, workers));
    }

    [Theory]
    [InlineData(32, 2048, 2, 2, 1)]   // the forward recurrence, W_hh^T packed ahead: 43 column panels do not halve
    [InlineData(32, 512, 2, 2, 1)]    // the backward recurrence, W_hh packed ahead: nor do 11
    public void PlanSplit_WithBPackedAhead_CutsRows(int m, int n, int workers, int rows, int cols)
    {
        // The Vector512 float kernel's 8 x 48 tiles, which the model's 32-row products take.
        Assert.Equal((rows, cols), Gemm.PlanSplit((m + 7) / 8, (n + 47) / 48, 8, 48, workers, packsB: false));
        Assert.Equal((1, 2), Gemm.PlanSplit((m + 7) / 8, (n + 47) / 48, 8, 48, workers, packsB: true));
    }

    [Fact]
    public void TeamMultiply_Throws_ForNullOrDisposedTeam()
    {
        float[] a = new float[64 * 64], b = new float[64 * 64], c = new float[64 * 64];
        Assert.Throws<ArgumentNullException>(() => Gemm.Multiply(new MatrixSpan<float>(c, 64, 64), new ReadOnlyMatrixSpan<float>(a, 64, 64), false,
                                                                  new ReadOnlyMatrixSpan<float>(b, 64, 64), false, 1f, 0f, (ThreadTeam)null!));
        var team = new ThreadTeam(2);
        team.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Gemm.Multiply(new MatrixSpan<float>(c, 64, 64), new ReadOnlyMatrixSpan<float>(a, 64, 64), false,
                                                                    new ReadOnlyMatrixSpan<float>(b, 64, 64), false, 1f, 0f, team));
    }

    /// <summary>Multiplies on the team from inside the team's own work, on worker 0.</summary>
    private struct NestedGemm(ThreadTeam team, float[] c, float[] a, float[] b) : ITeamWork
    {
        public readonly void Execute(int worker, int workers)
        {
            if (worker == 0)
                Gemm.Multiply(new MatrixSpan<float>(c, 2, 2), new ReadOnlyMatrixSpan<float>(a, 2, 2), false,
                              new ReadOnlyMatrixSpan<float>(b, 2, 2), false, 1f, 0f, team);
        }
    }

    [Fact]
    public void TeamMultiply_FromInsideTheTeamsOwnWork_Throws_EvenForATinyProduct()
    {
        var work = new NestedGemm(Two, new float[4], new float[4], new float[4]);
        Assert.Throws<InvalidOperationException>(() => Two.Run(ref work));
    }
}

/// <summary>Allocation checks, alone so that no other test's allocations are counted.</summary>
[Collection(nameof(AloneCollection))]
public class GemmThreadingAllocationTests
{
    [Theory]
    [InlineData(64, 256, 128, false, true)]
    [InlineData(200, 96, 300, true, false)]
    public void TeamMultiply_AllocatesNothing_InSteadyState(int m, int n, int k, bool ta, bool tb)
    {
        using var team = new ThreadTeam(2);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        Assert.True(2.0 * m * n * k >= Gemm.ParallelMinFlops);
        void Call() => Gemm.Multiply(new MatrixSpan<float>(c, m, n),
                                     ta ? new ReadOnlyMatrixSpan<float>(a, k, m) : new ReadOnlyMatrixSpan<float>(a, m, k), ta,
                                     tb ? new ReadOnlyMatrixSpan<float>(b, n, k) : new ReadOnlyMatrixSpan<float>(b, k, n), tb,
                                     1f, 0.5f, team);
        Assert.Equal(0, Allocations.LeastPerWindow(Call, warmUps: 5));

        // The whole process (the workers included); the runtime or the test runner may allocate
        // on a thread of its own now and then, so one clean window out of a few is required.
        Assert.Equal(0, Allocations.LeastPerWindow(Call, warmUps: 0, windows: 5, wholeProcess: true));
    }
}
