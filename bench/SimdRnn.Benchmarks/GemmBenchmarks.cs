// K1/W1 GEMM shapes: C (M, N) = op(A) (M, K) * op(B) (K, N), float.
// The packed engine against a plain scalar loop in the best loop order for each transpose.
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SimdRnn.Kernels;
using SimdRnn.Memory;

namespace SimdRnn.Benchmarks;

/// <summary>GEMM at the shapes of workload W1 (C = 8000, H = 100, T = 20) and a square reference.</summary>
[MemoryDiagnoser]
[Config(typeof(GemmBenchmarkConfig))]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private int _m, _n, _k;
    private bool _transposeA, _transposeB;

    /// <summary>"M x N x K" and the transposes of A and B (N: as stored, T: transposed).</summary>
    [Params("20x8000x100 NT",   // O = S V^T, the output layer for all steps
            "8000x100x20 TN",   // dV = dO^T S
            "20x100x8000 NN",   // dS = dO V
            "1x100x100 NT",     // the recurrence W s, once per step
            "512x512x512 NN")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        (_m, _n, _k, _transposeA, _transposeB) = Parse(Shape);
        var rng = new Random(1);
        _a = Enumerable.Range(0, _m * _k).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        _b = Enumerable.Range(0, _k * _n).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        _c = new float[_m * _n];
    }

    /// <summary>Parses "MxNxK AB" into the sizes and the transposes.</summary>
    public static (int M, int N, int K, bool TransposeA, bool TransposeB) Parse(string shape)
    {
        string[] parts = shape.Split(' ');
        int[] sizes = parts[0].Split('x').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        return (sizes[0], sizes[1], sizes[2], parts[1][0] == 'T', parts[1][1] == 'T');
    }

    /// <summary>Scalar loops, ordered so the innermost loop walks contiguous memory: i-k-j when B
    /// is stored (K, N), dot products (i-j-k) when it is stored (N, K).</summary>
    [Benchmark(Baseline = true)]
    public void ScalarLoop()
    {
        int m = _m, n = _n, k = _k;
        float[] a = _a, b = _b, c = _c;
        Array.Clear(c);
        for (int i = 0; i < m; i++)
        {
            if (_transposeB)
            {
                for (int j = 0; j < n; j++)
                {
                    float sum = 0;
                    for (int p = 0; p < k; p++)
                        sum += (_transposeA ? a[p * m + i] : a[i * k + p]) * b[j * k + p];
                    c[i * n + j] = sum;
                }
            }
            else
            {
                for (int p = 0; p < k; p++)
                {
                    float aip = _transposeA ? a[p * m + i] : a[i * k + p];
                    for (int j = 0; j < n; j++)
                        c[i * n + j] += aip * b[p * n + j];
                }
            }
        }
    }

    [Benchmark]
    public void Packed()
    {
        var a = _transposeA ? new ReadOnlyMatrixSpan<float>(_a, _k, _m) : new ReadOnlyMatrixSpan<float>(_a, _m, _k);
        var b = _transposeB ? new ReadOnlyMatrixSpan<float>(_b, _n, _k) : new ReadOnlyMatrixSpan<float>(_b, _k, _n);
        Gemm.Multiply(new MatrixSpan<float>(_c, _m, _n), a, _transposeA, b, _transposeB, 1f, 0f);
    }
}

/// <summary>Adds the achieved GFLOP/s (2 M N K per operation) to the summary.</summary>
public sealed class GemmBenchmarkConfig : ManualConfig
{
    public GemmBenchmarkConfig()
    {
        Add(BenchConfig.Workload());
        AddColumn(RateColumn.Gflops(c =>
        {
            var (m, n, k, _, _) = GemmBenchmarks.Parse((string)c.Parameters["Shape"]);
            return 2.0 * m * n * k;
        }));
    }
}
