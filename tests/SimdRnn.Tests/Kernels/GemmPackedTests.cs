// Gemm with a pre-packed B: C is (M, N), op(A) is (M, K), op(B) is (K, N) packed once by PackedMatrix;
// C = alpha * op(A) * op(B) + beta * C. The packed call must give the unpacked call's bits exactly (same
// kernel, tiles and reduction order) on every kernel and team, follow B when it is repacked, and
// allocate nothing in steady state. The unpacked engine itself is checked against a naive loop in GemmTests.
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdRnn.Kernels;
using SimdRnn.Memory;
using SimdRnn.Tests.Support;
using SimdRnn.Threading;
using Xunit;

namespace SimdRnn.Tests.Kernels;

/// <summary>A GEMM problem, the packed kernel to force (0: Vector512, 1: Vector256, 2: scalar), and a
/// grid of chunks to force on a team.</summary>
public sealed record PackedGemmCase(GemmCase Case, int Kernel, int RowChunks, int ColChunks)
{
    internal GemmPath Path => Kernel switch
    {
        0 => GemmPath.Vector512, 1 => GemmPath.Vector256, 2 => GemmPath.Scalar, _ => GemmPath.Vector512Wide,
    };
}

public static class GemmPackedGenerators
{
    /// <summary>Sizes 0..300 (M 0..70) cross the tile edges of every kernel; K up to 1100 crosses
    /// the KC blocks (512 deep) twice.</summary>
    public static Arbitrary<PackedGemmCase> Cases()
    {
        Gen<int> chunks = Gen.Choose(1, 5);
        Gen<GemmCase> problem =
            from cs in GemmGenerators.Problems(300, 1100)
            from m in Gen.Choose(0, 70)
            select cs with { M = m };
        Gen<PackedGemmCase> gen =
            from cs in problem
            from kernel in Gen.Choose(0, 3)
            from rows in chunks
            from cols in chunks
            select new PackedGemmCase(cs, kernel, rows, cols);
        return Arb.From(gen);
    }
}

/// <summary>The operands of one <see cref="GemmCase"/> in arrays at the case's offsets and strides;
/// C's backing array is returned whole so the bits around its window are compared too.</summary>
internal sealed class PackedProblem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _a, _b, _cInitial;
    private readonly int _aRows, _aCols, _bRows, _bCols, _strideA, _strideB, _strideC;

    public PackedProblem(GemmCase cs)
    {
        Case = cs;
        var rng = new Random(cs.Seed);
        (_aRows, _aCols) = cs.TransposeA ? (cs.K, cs.M) : (cs.M, cs.K);
        (_bRows, _bCols) = cs.TransposeB ? (cs.N, cs.K) : (cs.K, cs.N);
        (_strideA, _strideB, _strideC) = (_aCols + cs.PadA, _bCols + cs.PadB, cs.N + cs.PadC);
        _a = Fill(rng, cs.OffsetA + _aRows * _strideA);
        _b = Fill(rng, cs.OffsetB + _bRows * _strideB);
        _cInitial = Fill(rng, cs.OffsetC + cs.M * _strideC);
        if (cs.Beta == 0)
            for (int i = 0; i < cs.M; i++)
                _cInitial.AsSpan(cs.OffsetC + i * _strideC, cs.N).Fill(T.NaN);
        C = (T[])_cInitial.Clone();
    }

    public GemmCase Case { get; }

    public T[] C { get; private set; }

    private MatrixSpan<T> CView => new(C.AsSpan(Case.OffsetC), Case.M, Case.N, _strideC);
    private ReadOnlyMatrixSpan<T> AView => new(_a.AsSpan(Case.OffsetA), _aRows, _aCols, _strideA);
    public ReadOnlyMatrixSpan<T> BView => new(_b.AsSpan(Case.OffsetB), _bRows, _bCols, _strideB);
    private T Alpha => T.CreateTruncating(Case.Alpha);
    private T Beta => T.CreateTruncating(Case.Beta);

    private static T[] Fill(Random rng, int length)
    {
        var x = new T[length];
        for (int i = 0; i < length; i++) x[i] = T.CreateTruncating(rng.Next(-1000, 1001) / 1000.0);
        return x;
    }

    /// <summary>Draws new entries for B (same shape), as an optimizer step changes the weights.</summary>
    public void ChangeB(int seed)
    {
        var rng = new Random(seed);
        for (int i = 0; i < _b.Length; i++) _b[i] = T.CreateTruncating(rng.Next(-1000, 1001) / 1000.0);
    }

    public void Reset() => C = (T[])_cInitial.Clone();

    public T[] Unpacked(GemmPath path, ThreadTeam team)
    {
        Reset();
        Gemm.Multiply(CView, AView, Case.TransposeA, BView, Case.TransposeB, Alpha, Beta, path, team, 0, 0);
        return C;
    }

    public T[] Packed(PackedMatrix<T> packed, ThreadTeam team, int rowChunks, int colChunks)
    {
        Reset();
        RunPacked(packed, team, rowChunks, colChunks);
        return C;
    }

    /// <summary>The packed product on the current <see cref="C"/>, in place (allocates nothing).</summary>
    public void RunPacked(PackedMatrix<T> packed, ThreadTeam team, int rowChunks = 0, int colChunks = 0)
        => Gemm.Multiply(CView, AView, Case.TransposeA, packed, Alpha, Beta, team, rowChunks, colChunks);

    /// <summary>Packs B for <paramref name="path"/>; Auto packs it as the model does, for products of M rows.</summary>
    public void Pack(PackedMatrix<T> packed, GemmPath path)
    {
        if (path == GemmPath.Auto)
            packed.Pack(BView, Case.TransposeB, Case.M);
        else
            packed.Pack(BView, Case.TransposeB, path);
    }

    public static void AssertBitIdentical(T[] expected, T[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!BitEquals(expected[i], actual[i]))
                Assert.Fail($"{typeof(T).Name} {what}: element {i} is {actual[i]}, unpacked gave {expected[i]}");
    }

    private static bool BitEquals(T x, T y)
        => typeof(T) == typeof(float)
            ? BitConverter.SingleToInt32Bits((float)(object)x) == BitConverter.SingleToInt32Bits((float)(object)y)
            : BitConverter.DoubleToInt64Bits((double)(object)x) == BitConverter.DoubleToInt64Bits((double)(object)y);
}

[Properties(Arbitrary = new[] { typeof(GemmPackedGenerators) }, MaxTest = 40)]
public class GemmPackedTests
{
    // Shared by the tests of this class, which xunit runs one at a time.
    private static readonly ThreadTeam Two = new(2), Three = new(3);

    [Property]
    public void PackedMultiply_IsBitIdenticalToUnpacked_ForAnyShapeKernelAndTeam(PackedGemmCase pc)
    {
        Check<float>(pc);
        Check<double>(pc with { Case = pc.Case with { Seed = pc.Case.Seed ^ 0x5A5A } });
    }

    private static void Check<T>(PackedGemmCase pc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = new PackedProblem<T>(pc.Case);
        using var packed = new PackedMatrix<T>();
        p.Pack(packed, pc.Path);
        Assert.Equal((pc.Case.K, pc.Case.N, pc.Path), (packed.Rows, packed.Cols, packed.Path));
        T[] expected = p.Unpacked(pc.Path, ThreadTeam.Single);
        foreach (ThreadTeam team in new[] { ThreadTeam.Single, Two, Three })
            PackedProblem<T>.AssertBitIdentical(expected, p.Packed(packed, team, 0, 0), $"{pc.Path} {team.Count} threads {pc.Case}");
        PackedProblem<T>.AssertBitIdentical(expected, p.Packed(packed, Three, pc.RowChunks, pc.ColChunks),
            $"{pc.Path} 3 threads, chunks {pc.RowChunks} x {pc.ColChunks}, {pc.Case}");
        PackedProblem<T>.AssertBitIdentical(expected, p.Packed(packed, ThreadTeam.Single, pc.RowChunks, pc.ColChunks),
            $"{pc.Path} 1 thread, chunks {pc.RowChunks} x {pc.ColChunks}, {pc.Case}");

        // The automatic choice: above GemmSmall.MaxRows rows the unpacked call takes the packed
        // kernel Pack(b, transposed, M) lays the panels out for.
        if (pc.Case.M > GemmSmall.MaxRows)
        {
            packed.Pack(p.BView, pc.Case.TransposeB, pc.Case.M);
            Assert.Equal(Gemm.BestPacked<T>(pc.Case.M, pc.Case.N), packed.Path);
            T[] auto = p.Unpacked(GemmPath.Auto, Two);
            PackedProblem<T>.AssertBitIdentical(auto, p.Packed(packed, Two, 0, 0), $"Auto 2 threads {pc.Case}");
        }
    }

    [Property]
    public void Repack_AfterBChanges_GivesTheNewProduct(PackedGemmCase pc)
    {
        var p = new PackedProblem<float>(pc.Case);
        // A buffer that held something else, larger and smaller, is reused.
        using var packed = new PackedMatrix<float>();
        var other = new PackedProblem<float>(pc.Case with { K = 1100 - pc.Case.K, N = 300 - pc.Case.N, TransposeB = !pc.Case.TransposeB });
        other.Pack(packed, pc.Path);
        p.Pack(packed, pc.Path);
        PackedProblem<float>.AssertBitIdentical(p.Unpacked(pc.Path, Two), p.Packed(packed, Two, 0, 0), $"first B {pc.Case}");

        p.ChangeB(pc.Case.Seed + 1);
        p.Pack(packed, pc.Path);
        PackedProblem<float>.AssertBitIdentical(p.Unpacked(pc.Path, Two), p.Packed(packed, Two, 0, 0), $"changed B {pc.Case}");
    }

    // N past one NC block (2048 columns for the float kernels whose KC is 512, 3072 for the 8 x 48
    // tile, whose KC is 341)
    // and K past one KC block: the packed panels of the second jc block are found at their offset.
    [Theory]
    [InlineData(2, 7, 2100, 1100, false)]
    [InlineData(2, 7, 2100, 1100, true)]
    [InlineData(1, 13, 4200, 600, true)]
    [InlineData(0, 13, 4200, 600, false)]
    [InlineData(3, 17, 4200, 1100, true)]
    public void PackedMultiply_IsBitIdenticalToUnpacked_PastOneNcBlock(int kernel, int m, int n, int k, bool transposeB)
    {
        var pc = new PackedGemmCase(new GemmCase(m, n, k, true, transposeB, 1, 2, 3, 1, 2, 3, -0.5, 0.25, 7), kernel, 2, 3);
        var p = new PackedProblem<float>(pc.Case);
        using var packed = new PackedMatrix<float>();
        p.Pack(packed, pc.Path);
        float[] expected = p.Unpacked(pc.Path, ThreadTeam.Single);
        PackedProblem<float>.AssertBitIdentical(expected, p.Packed(packed, ThreadTeam.Single, 0, 0), $"{pc}");
        PackedProblem<float>.AssertBitIdentical(expected, p.Packed(packed, Three, 2, 3), $"{pc}");
    }

    [Theory]
    [InlineData(32, 512, 128, false)]
    [InlineData(32, 128, 512, true)]
    [InlineData(7, 65, 300, true)]
    public void PackedMultiply_InSteadyState_AllocatesNothing(int m, int n, int k, bool transposeB)
    {
        var cs = new GemmCase(m, n, k, false, transposeB, 0, 0, 0, 0, 0, 0, 1, 0, 42);
        var p = new PackedProblem<float>(cs);
        using var packed = new PackedMatrix<float>();
        foreach (ThreadTeam team in new[] { ThreadTeam.Single, Two })
        {
            void Call()
            {
                p.Pack(packed, GemmPath.Auto);
                p.RunPacked(packed, team);
            }
            Assert.Equal(0, Allocations.LeastPerWindow(Call, callsPerWindow: 10));
        }
    }

    [Fact]
    public void PackedMultiply_RejectsUnpackedOrMismatchedB()
    {
        var p = new PackedProblem<float>(new GemmCase(4, 5, 6, false, false, 0, 0, 0, 0, 0, 0, 1, 0, 1));
        using var packed = new PackedMatrix<float>();
        Assert.Throws<InvalidOperationException>(() => p.RunPacked(packed, ThreadTeam.Single));
        Assert.Throws<ArgumentException>(() => packed.Pack(p.BView, false, GemmPath.Small));
        Assert.Throws<ArgumentException>(() => packed.Pack(p.BView, false, GemmPath.Auto));
        var q = new PackedProblem<float>(new GemmCase(4, 5, 7, false, true, 0, 0, 0, 0, 0, 0, 1, 0, 1));
        q.Pack(packed, GemmPath.Auto);
        Assert.Throws<ArgumentException>(() => p.RunPacked(packed, ThreadTeam.Single));
        packed.Dispose();
        Assert.Throws<InvalidOperationException>(() => p.RunPacked(packed, ThreadTeam.Single));
        Assert.Throws<ObjectDisposedException>(() => p.Pack(packed, GemmPath.Auto));
    }
}
