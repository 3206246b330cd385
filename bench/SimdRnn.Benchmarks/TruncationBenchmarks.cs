// The seed's truncation swept: W1's float SGD step (C 8000, H 100, T 20) for bptt_truncate K from 0
// to full (K = T - 1). The truncated recurrence costs O(T·K·H²), linear in K, beside the output
// layer's O(T·C·H), which does not depend on K.
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SimdRnn.Kernels;
using SimdRnn.Models;

namespace SimdRnn.Benchmarks;

/// <summary>W1's fast float step for each K.</summary>
[MemoryDiagnoser]
[Config(typeof(W1Config))]
public class TruncationBenchmarks
{
    private const int Seed = 42;
    private int[] _x = [], _y = [];
    private RnnLanguageModel<float>? _model;

    [Params(0, 1, 2, 4, 8, 12, 19)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_x, _y) = W1Benchmarks.Sentence();
        _model = new RnnLanguageModel<float>(W1Benchmarks.VocabularySize, W1Benchmarks.HiddenSize, K, Seed);
        Console.WriteLine($"// Truncation: SIMD path {SimdPath.Name}, K = {K.ToString(CultureInfo.InvariantCulture)}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model?.Dispose();
        _model = null;
    }

    [Benchmark]
    public double FastFloat() => _model!.SgdStep(_x, _y, (float)W1Benchmarks.LearningRate);
}
