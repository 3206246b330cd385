// The machine's FMA peak, measured in the same run as the workloads so every GFLOP/s figure can
// be read as a fraction of it: independent chains acc_i = acc_i * a + b on the widest vectors
// the hardware runs natively, 2 FLOPs per lane per FMA, on 1 and 2 threads.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using SimdRnn.Kernels;
using SimdRnn.Threading;

namespace SimdRnn.Benchmarks;

/// <summary>
/// Float FMA throughput: every worker of a team runs <see cref="Chains"/> independent FMA chains
/// (more than the FMA units times their latency, so the units never wait on a result) for
/// <see cref="Rounds"/> rounds. FLOPs per operation: threads × rounds × chains × lanes × 2.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(FmaPeakConfig))]
public class FmaPeakBenchmarks
{
    public const int Chains = 12, Rounds = 1 << 20;
    private ThreadTeam _team = ThreadTeam.Single;

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Float lanes of the vectors the chains run on: 16 with native AVX-512, else 8.</summary>
    public static int Lanes => Vector512.IsHardwareAccelerated ? Vector512<float>.Count : Vector256<float>.Count;

    [GlobalSetup]
    public void Setup()
    {
        _team = new ThreadTeam(Threads);
        Console.WriteLine($"// FMA peak: SIMD path {SimdPath.Name}, {Lanes} float lanes, {Threads} thread(s)");
    }

    [GlobalCleanup]
    public void Cleanup() => _team.Dispose();

    [Benchmark]
    public float Fma()
    {
        var work = new FmaWork();
        _team.Run(ref work);
        return work.Sink;
    }

    /// <summary>The FLOPs of one operation for a team of <paramref name="threads"/>.</summary>
    public static double Flops(int threads) => 2.0 * threads * Rounds * Chains * Lanes;

    private struct FmaWork : ITeamWork
    {
        public float Sink;

        public void Execute(int worker, int workers)
        {
            float result = Vector512.IsHardwareAccelerated ? Chains512() : Chains256();
            if (worker == 0) Sink = result;
        }

        // acc = acc * 0.999 + 0.001 converges to 1: no overflow, no denormals, and the JIT cannot
        // fold it away because the sum is returned.
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static float Chains256()
        {
            Vector256<float> a = Vector256.Create(0.999f), b = Vector256.Create(0.001f);
            Vector256<float> c0 = Vector256<float>.Zero, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0,
                             c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
            for (int r = 0; r < Rounds; r++)
            {
                c0 = Vector256.FusedMultiplyAdd(c0, a, b); c1 = Vector256.FusedMultiplyAdd(c1, a, b);
                c2 = Vector256.FusedMultiplyAdd(c2, a, b); c3 = Vector256.FusedMultiplyAdd(c3, a, b);
                c4 = Vector256.FusedMultiplyAdd(c4, a, b); c5 = Vector256.FusedMultiplyAdd(c5, a, b);
                c6 = Vector256.FusedMultiplyAdd(c6, a, b); c7 = Vector256.FusedMultiplyAdd(c7, a, b);
                c8 = Vector256.FusedMultiplyAdd(c8, a, b); c9 = Vector256.FusedMultiplyAdd(c9, a, b);
                c10 = Vector256.FusedMultiplyAdd(c10, a, b); c11 = Vector256.FusedMultiplyAdd(c11, a, b);
            }
            return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
        }

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static float Chains512()
        {
            Vector512<float> a = Vector512.Create(0.999f), b = Vector512.Create(0.001f);
            Vector512<float> c0 = Vector512<float>.Zero, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0,
                             c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
            for (int r = 0; r < Rounds; r++)
            {
                c0 = Vector512.FusedMultiplyAdd(c0, a, b); c1 = Vector512.FusedMultiplyAdd(c1, a, b);
                c2 = Vector512.FusedMultiplyAdd(c2, a, b); c3 = Vector512.FusedMultiplyAdd(c3, a, b);
                c4 = Vector512.FusedMultiplyAdd(c4, a, b); c5 = Vector512.FusedMultiplyAdd(c5, a, b);
                c6 = Vector512.FusedMultiplyAdd(c6, a, b); c7 = Vector512.FusedMultiplyAdd(c7, a, b);
                c8 = Vector512.FusedMultiplyAdd(c8, a, b); c9 = Vector512.FusedMultiplyAdd(c9, a, b);
                c10 = Vector512.FusedMultiplyAdd(c10, a, b); c11 = Vector512.FusedMultiplyAdd(c11, a, b);
            }
            return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
        }
    }
}

/// <summary>The workload job and the achieved GFLOP/s, the peak every other GFLOP/s is read against.</summary>
public sealed class FmaPeakConfig : ManualConfig
{
    public FmaPeakConfig()
    {
        Add(BenchConfig.Workload(20));
        AddColumn(RateColumn.Gflops(c => FmaPeakBenchmarks.Flops((int)c.Parameters["Threads"])));
    }
}
