// W1 of DESIGN.md §4, the seed workload: word-level LM, C = 8000, H = 100, T = 20, batch 1;
// one SGD step (forward, BPTT, update) with K = 4 and with full BPTT.
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SimdRnn.Kernels;
using SimdRnn.Models;
using SimdRnn.Reference;

namespace SimdRnn.Benchmarks;

/// <summary>One SGD step on one 20-token sentence: the scalar reference against the fast path in float and double.</summary>
[MemoryDiagnoser]
[Config(typeof(W1Config))]
public class W1Benchmarks
{
    public const int VocabularySize = 8000, HiddenSize = 100, SentenceLength = 20;
    private const int Seed = 42;

    // Small enough that the weights barely move over the many steps a run takes on one sentence.
    internal const double LearningRate = 1e-4;

    private int[] _x = [], _y = [];
    private RnnLanguageModel<float>? _fastFloat;
    private RnnLanguageModel<double>? _fastDouble;
    private ReferenceRnn? _reference;

    /// <summary>The seed's bptt_truncate K: "4" (the tutorial's default) or "full" (K = T - 1).</summary>
    [Params("4", "full")]
    public string K { get; set; } = "4";

    [GlobalSetup]
    public void Setup()
    {
        int k = K == "full" ? SentenceLength - 1 : int.Parse(K, CultureInfo.InvariantCulture);
        (_x, _y) = Sentence();

        // Same seed, same draws: the float model holds the double model's weights rounded to float.
        _fastFloat = new RnnLanguageModel<float>(VocabularySize, HiddenSize, k, Seed);
        _fastDouble = new RnnLanguageModel<double>(VocabularySize, HiddenSize, k, Seed);
        _reference = new ReferenceRnn(VocabularySize, HiddenSize, k);
        _fastDouble.Weights.CopyTo(RnnParameter.U, _reference.U);
        _fastDouble.Weights.CopyTo(RnnParameter.V, _reference.V);
        _fastDouble.Weights.CopyTo(RnnParameter.W, _reference.W);

        // The three start from the same weights: a wrong copy would compare different work.
        double expected = _reference.TotalLoss(_x, _y);
        double actual = _fastDouble.TotalLoss(_x, _y);
        if (Math.Abs(actual - expected) > 1e-9 * Math.Abs(expected))
            throw new InvalidOperationException($"The fast model's loss {actual} differs from the reference's {expected}.");
        Console.WriteLine($"// W1: SIMD path {SimdPath.Name}, K = {k}, initial loss {expected:F6}");
    }

    /// <summary>W1's sentence: T + 1 random tokens, the inputs and, one step later, the targets.</summary>
    internal static (int[] X, int[] Y) Sentence()
    {
        var random = new Random(Seed);
        var sentence = new int[SentenceLength + 1];
        for (int t = 0; t < sentence.Length; t++)
            sentence[t] = random.Next(VocabularySize);
        return (sentence[..SentenceLength], sentence[1..]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fastFloat?.Dispose();
        _fastDouble?.Dispose();
        _fastFloat = null;
        _fastDouble = null;
        _reference = null;
    }

    [Benchmark(Baseline = true)]
    public double Reference() => _reference!.SgdStep(_x, _y, LearningRate);

    [Benchmark]
    public double FastFloat() => _fastFloat!.SgdStep(_x, _y, (float)LearningRate);

    [Benchmark]
    public double FastDouble() => _fastDouble!.SgdStep(_x, _y, LearningRate);
}

/// <summary>W1's job (<see cref="BenchConfig.Workload"/>) and a tokens/s column.</summary>
public sealed class W1Config : ManualConfig
{
    public W1Config()
    {
        Add(BenchConfig.Workload());
        AddColumn(RateColumn.TokensPerSecond(W1Benchmarks.SentenceLength));
    }
}
