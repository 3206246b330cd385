// K1 GEMM over a thread team: C (M, N) = op(A) (M, K) * op(B) (K, N), float, at W2's shapes
// (H = 512, G*H = 2048, T*B = 2048, B = 32) and the square reference.
using BenchmarkDotNet.Attributes;
using SimdRnn.Kernels;
using SimdRnn.Memory;
using SimdRnn.Threading;

namespace SimdRnn.Benchmarks;

/// <summary>The packed engine on 1 and 2 threads; the results are bit-identical, only time differs.</summary>
[MemoryDiagnoser]
[Config(typeof(GemmBenchmarkConfig))]
public class GemmThreadsBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private int _m, _n, _k;
    private bool _transposeA, _transposeB;
    private ThreadTeam _team = ThreadTeam.Single;

    /// <summary>"M x N x K" and the transposes of A and B (N: as stored, T: transposed).</summary>
    [Params("512x512x512 NN",     // the square reference
            "32x512x2048 NN",     // backward recurrence, dh = dZ W_hh: (B, H) = (B, G*H) (G*H, H)
            "32x2048x512 NT",     // forward recurrence, (B, G*H) = (B, H) W_hh^T
            "2048x2048x512 NT")]  // input projection of all steps, (T*B, G*H) = X W_ih^T
    public string Shape { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_m, _n, _k, _transposeA, _transposeB) = GemmBenchmarks.Parse(Shape);
        var rng = new Random(1);
        _a = Enumerable.Range(0, _m * _k).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        _b = Enumerable.Range(0, _k * _n).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        _c = new float[_m * _n];
        _team = new ThreadTeam(Threads);
    }

    [GlobalCleanup]
    public void Cleanup() => _team.Dispose();

    [Benchmark]
    public void Packed()
    {
        var a = _transposeA ? new ReadOnlyMatrixSpan<float>(_a, _k, _m) : new ReadOnlyMatrixSpan<float>(_a, _m, _k);
        var b = _transposeB ? new ReadOnlyMatrixSpan<float>(_b, _n, _k) : new ReadOnlyMatrixSpan<float>(_b, _k, _n);
        Gemm.Multiply(new MatrixSpan<float>(_c, _m, _n), a, _transposeA, b, _transposeB, 1f, 0f, _team);
    }
}
