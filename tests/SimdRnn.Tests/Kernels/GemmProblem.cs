// The test helper shared by GemmTests (each path against a naive loop) and GemmThreadingTests
// (a team's result bit-identical to the single-threaded one): one GEMM problem's backing arrays.
using System.Numerics;
using SimdRnn.Kernels;
using SimdRnn.Memory;
using SimdRnn.Tests.Support;
using SimdRnn.Threading;
using Xunit;

namespace SimdRnn.Tests.Kernels;

/// <summary>The backing arrays of one <see cref="GemmCase"/>, views on them at the case's offsets and
/// strides, and the checks on the result: against the naive double-precision reference, bit for bit
/// against another run, and that nothing around C's window changed.</summary>
/// <remarks>C's window starts out holding values to scale by beta, or NaN when beta = 0 (which must
/// ignore them); everything around the window holds a sentinel that must survive.</remarks>
internal sealed class GemmProblem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Sentinel = T.CreateTruncating(-777.25);

    private readonly T[] _a, _b, _cInitial;
    private readonly int _aRows, _aCols, _bRows, _bCols, _strideA, _strideB, _strideC;

    private GemmProblem(GemmCase cs)
    {
        Case = cs;
        var rng = new Random(cs.Seed);
        (_aRows, _aCols) = cs.TransposeA ? (cs.K, cs.M) : (cs.M, cs.K);
        (_bRows, _bCols) = cs.TransposeB ? (cs.N, cs.K) : (cs.K, cs.N);
        _strideA = _aCols + cs.PadA;
        _strideB = _bCols + cs.PadB;
        _strideC = cs.N + cs.PadC;
        _a = Fill(rng, cs.OffsetA + _aRows * _strideA);
        _b = Fill(rng, cs.OffsetB + _bRows * _strideB);
        _cInitial = new T[cs.OffsetC + cs.M * _strideC];
        Array.Fill(_cInitial, Sentinel);
        for (int i = 0; i < cs.M; i++)
            for (int j = 0; j < cs.N; j++)
                _cInitial[cs.OffsetC + i * _strideC + j] =
                    cs.Beta == 0 ? T.NaN : T.CreateTruncating(rng.Next(-1000, 1001) / 1000.0);
        C = (T[])_cInitial.Clone();
    }

    public GemmCase Case { get; }

    /// <summary>The backing array of C (its window and the sentinel around it).</summary>
    public T[] C { get; private set; }

    public static GemmProblem<T> From(GemmCase cs) => new(cs);

    private static T[] Fill(Random rng, int length)
    {
        var x = new T[length];
        for (int i = 0; i < length; i++) x[i] = T.CreateTruncating(rng.Next(-1000, 1001) / 1000.0);
        return x;
    }

    /// <summary>Puts a fresh copy of C's initial contents in <see cref="C"/> (the previous array is left as it was).</summary>
    public void Reset() => C = (T[])_cInitial.Clone();

    private MatrixSpan<T> CView => new(C.AsSpan(Case.OffsetC), Case.M, Case.N, _strideC);
    private ReadOnlyMatrixSpan<T> AView => new(_a.AsSpan(Case.OffsetA), _aRows, _aCols, _strideA);
    private ReadOnlyMatrixSpan<T> BView => new(_b.AsSpan(Case.OffsetB), _bRows, _bCols, _strideB);
    private T Alpha => T.CreateTruncating(Case.Alpha);
    private T Beta => T.CreateTruncating(Case.Beta);

    /// <summary>Runs the product single-threaded on the current <see cref="C"/>, in place (allocates nothing).</summary>
    public void Run(GemmPath path)
        => Gemm.Multiply(CView, AView, Case.TransposeA, BView, Case.TransposeB, Alpha, Beta, path);

    /// <summary>Runs the product on the team on a fresh copy of C and returns it. Chunks 0 x 0: the planned
    /// split; -1 x -1: the split planned for the team regardless of size; else that grid.</summary>
    public T[] Run(GemmPath path, ThreadTeam team, int rowChunks, int colChunks)
    {
        Reset();
        if (rowChunks < 0)
        {
            (int mr, int nr) = TileOf(path == GemmPath.Auto ? Gemm.BestPacked<T>(Case.M, Case.N) : path);
            int tilesM = (Case.M + mr - 1) / mr;
            (rowChunks, colChunks) = Gemm.PlanSplit(tilesM, (Case.N + nr - 1) / nr, mr, nr, team.Count,
                                                    packsB: !Gemm.ReadsBInPlace(Case.TransposeB, tilesM));
        }
        Gemm.Multiply(CView, AView, Case.TransposeA, BView, Case.TransposeB, Alpha, Beta, path, team, rowChunks, colChunks);
        return C;
    }

    /// <summary>Runs the product single-threaded on a fresh copy of C and checks it against the naive
    /// double-precision loop and that nothing outside C's window changed.</summary>
    public void RunAndCheck(GemmPath path)
    {
        Reset();
        Run(path);
        string what = $"{typeof(T).Name} {path} {Case}";
        AssertMatchesReference(what);
        AssertSentinelIntact(what);
    }

    /// <summary>Checks C's window against the naive double-precision reference, within the shared tolerance.</summary>
    public void AssertMatchesReference(string what)
    {
        GemmCase cs = Case;
        double alpha = double.CreateTruncating(Alpha);
        double beta = double.CreateTruncating(Beta);
        for (int i = 0; i < cs.M; i++)
            for (int j = 0; j < cs.N; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < cs.K; p++)
                {
                    double x = double.CreateTruncating(cs.TransposeA ? _a[cs.OffsetA + p * _strideA + i] : _a[cs.OffsetA + i * _strideA + p]);
                    double y = double.CreateTruncating(cs.TransposeB ? _b[cs.OffsetB + j * _strideB + p] : _b[cs.OffsetB + p * _strideB + j]);
                    sum += x * y;
                    magnitude += Math.Abs(x * y);
                }
                int at = cs.OffsetC + i * _strideC + j;
                double old = beta == 0 ? 0 : double.CreateTruncating(_cInitial[at]);
                double expected = alpha * sum + beta * old;
                // A dot product's honest error bound scales with sum |a_ip b_pj|, not with
                // the (possibly cancelled) result.
                double scale = Math.Abs(alpha) * magnitude + Math.Abs(beta * old);
                Tolerance.AssertClose<T>([expected], [C[at]], $"{what}: C[{i},{j}]", scale);
            }
    }

    /// <summary>Checks that every element of C's backing array outside its window still holds its initial value.</summary>
    public void AssertSentinelIntact(string what)
    {
        GemmCase cs = Case;
        for (int at = 0; at < C.Length; at++)
        {
            int rel = at - cs.OffsetC;
            bool inWindow = rel >= 0 && rel / _strideC < cs.M && rel % _strideC < cs.N;
            if (!inWindow && !C[at].Equals(_cInitial[at]))
                Assert.Fail($"{what}: element {at} outside C's window changed from {_cInitial[at]} to {C[at]}");
        }
    }

    /// <summary>Runs the product on the team (see <see cref="Run(GemmPath, ThreadTeam, int, int)"/>) and
    /// checks that every element of C's backing array is bit-identical to <paramref name="expected"/>.</summary>
    public void AssertSame(T[] expected, GemmPath path, ThreadTeam team, int rowChunks, int colChunks)
    {
        T[] actual = Run(path, team, rowChunks, colChunks);
        for (int i = 0; i < expected.Length; i++)
            if (!BitEquals(expected[i], actual[i]))
                Assert.Fail($"{typeof(T).Name} {path}, {team.Count} threads, chunks {rowChunks} x {colChunks}, {Case}: " +
                            $"element {i} is {actual[i]}, single-threaded gave {expected[i]}");
    }

    private static bool BitEquals(T x, T y)
        => typeof(T) == typeof(float)
            ? BitConverter.SingleToInt32Bits((float)(object)x) == BitConverter.SingleToInt32Bits((float)(object)y)
            : BitConverter.DoubleToInt64Bits((double)(object)x) == BitConverter.DoubleToInt64Bits((double)(object)y);

    private static (int MR, int NR) TileOf(GemmPath path)
        => path switch
        {
            GemmPath.Vector512 => (GemmKernel512<T>.MR, GemmKernel512<T>.NR),
            GemmPath.Vector512Wide => (GemmKernel512Wide<T>.MR, GemmKernel512Wide<T>.NR),
            GemmPath.Vector256 => (GemmKernel256<T>.MR, GemmKernel256<T>.NR),
            _ => (GemmKernelScalar<T>.MR, GemmKernelScalar<T>.NR),
        };
}
