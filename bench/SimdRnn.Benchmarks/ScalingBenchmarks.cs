// The scaling sweep of issue #4: W2's LSTM step (one SGD step, one thread) with one of T, B or H
// moved away from the base point (T 64, B 32, H 128) at a time. The step's work is linear in T and
// in B and quadratic in H, so its time should be too: the report plots time against each axis.
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using SimdRnn.Cells;
using SimdRnn.Kernels;
using SimdRnn.Models;
using SimdRnn.Training;

namespace SimdRnn.Benchmarks;

/// <summary>W2's LSTM step at the points of <see cref="Point"/>: "axis=value" for axis T, B or H.</summary>
[MemoryDiagnoser]
[Config(typeof(ScalingConfig))]
public class ScalingBenchmarks
{
    private const CellKind Cell = CellKind.Lstm;
    private SequenceModel<float>? _model;
    private Sgd<float>? _sgd;
    private SequenceBatch<float>? _batch;

    /// <summary>One axis set away from the base point (T 64, B 32, H 128); the base itself is "T=64".</summary>
    [Params("T=16", "T=32", "T=64", "T=128", "T=256",
            "B=8", "B=16", "B=64", "B=128",
            "H=64", "H=256", "H=512")]
    public string Point { get; set; } = "T=64";

    [GlobalSetup]
    public void Setup()
    {
        var (steps, batch, hidden) = Parse(Point);
        _model = new SequenceModel<float>(W2Benchmarks.Options(Cell, hidden, threads: 1));
        _sgd = new Sgd<float>(W2Benchmarks.LearningRate);
        _batch = W2Benchmarks.Batch(steps, batch);
        Console.WriteLine($"// Scaling: SIMD path {SimdPath.Name}, {Cell} T = {steps}, B = {batch}, H = {hidden}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model?.Dispose();
        _sgd?.Dispose();
        _model = null;
        _sgd = null;
    }

    [Benchmark]
    public double LstmStep() => W2Benchmarks.SgdStep(_model!, _sgd!, _batch!);

    /// <summary>(T, B, H) of a point: the base (64, 32, 128) with the named axis replaced.</summary>
    public static (int T, int B, int H) Parse(string point)
    {
        string[] parts = point.Split('=');
        int value = int.Parse(parts[1], CultureInfo.InvariantCulture);
        return parts[0] switch
        {
            "T" => (value, W2Benchmarks.BatchSize, 128),
            "B" => (W2Benchmarks.Steps, value, 128),
            "H" => (W2Benchmarks.Steps, W2Benchmarks.BatchSize, value),
            _ => throw new ArgumentException($"Unknown axis in '{point}': expected T, B or H.", nameof(point)),
        };
    }

    internal static double UsefulFlops(BenchmarkCase benchmarkCase)
    {
        var (steps, batch, hidden) = Parse((string)benchmarkCase.Parameters["Point"]);
        return W2Benchmarks.UsefulFlops(Cell, hidden, steps, batch);
    }
}

/// <summary>The workload job, tokens/s (which vary with the point, so from the parameters) and GFLOP/s.</summary>
public sealed class ScalingConfig : ManualConfig
{
    public ScalingConfig()
    {
        Add(BenchConfig.Workload());
        AddColumn(new RateColumn("Tokens/s", "Tokens processed per second of the mean time", c =>
        {
            var (steps, batch, _) = ScalingBenchmarks.Parse((string)c.Parameters["Point"]);
            return (double)steps * batch;
        }, 1, "N0"));
        AddColumn(RateColumn.Gflops(ScalingBenchmarks.UsefulFlops));
    }
}
