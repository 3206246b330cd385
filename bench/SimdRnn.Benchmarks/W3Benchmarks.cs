// W3 of DESIGN.md §4, generation: batch 1, H = 512, C = 65; one token forward (SequenceModel.Step)
// for the tanh RNN and the LSTM, in µs per token (the Mean) and tokens/s.
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SimdRnn.Cells;
using SimdRnn.Kernels;
using SimdRnn.Models;

namespace SimdRnn.Benchmarks;

/// <summary>
/// W3: one inference step of a one-layer character model on one sequence, as text generation
/// runs it: the state advances by one token and the head writes the 65 logits. The scalar
/// reference has no single-step API, so the fast double model is the baseline and the Ratio
/// column reads as float's gain over double. The tokens come from a fixed random stream rather
/// than from the logits, so sampling is not timed. GFLOP/s counts 2·G·H·H for the recurrence and
/// 2·O·H for the head; the one-hot input is a gather (I_eff = 0, as in W2). At batch 1 these are
/// matrix-vector products, bound by reading the weights, so GFLOP/s sits far below W2's.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(W3Config))]
public class W3Benchmarks
{
    public const int VocabularySize = 65, HiddenSize = 512;
    private const int Seed = 1;
    private const int StreamLength = 1024; // a power of two: the position wraps with a mask

    private SequenceModel<float>? _float;
    private SequenceModel<double>? _double;
    private int[] _stream = [];
    private int _position;
    private float[] _hFloat = [], _cFloat = [], _logitsFloat = [];
    private double[] _hDouble = [], _cDouble = [], _logitsDouble = [];

    [Params(CellKind.RnnTanh, CellKind.Lstm)]
    public CellKind Cell { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new SequenceModelOptions
        {
            Cell = Cell,
            Input = InputKind.OneHot,
            InputSize = VocabularySize,
            HiddenSize = HiddenSize,
            Layers = 1,
            Head = HeadKind.LanguageModel,
            OutputSize = VocabularySize,
            Seed = Seed,
        };
        _float = new SequenceModel<float>(options);
        _double = new SequenceModel<double>(options);
        var random = new Random(Seed);
        _stream = Enumerable.Range(0, StreamLength).Select(_ => random.Next(VocabularySize)).ToArray();
        int cellState = Cell == CellKind.Lstm ? HiddenSize : 0;
        _hFloat = new float[HiddenSize];
        _cFloat = new float[cellState];
        _logitsFloat = new float[VocabularySize];
        _hDouble = new double[HiddenSize];
        _cDouble = new double[cellState];
        _logitsDouble = new double[VocabularySize];
        Console.WriteLine($"// W3: SIMD path {SimdPath.Name}, {Cell} H = {HiddenSize}, batch 1");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _float?.Dispose();
        _double?.Dispose();
        _float = null;
        _double = null;
    }

    [Benchmark(Baseline = true)]
    public double FastDouble()
    {
        _double!.Step(NextToken(), _hDouble, _cDouble, _logitsDouble);
        return _logitsDouble[0];
    }

    [Benchmark]
    public float FastFloat()
    {
        _float!.Step(NextToken(), _hFloat, _cFloat, _logitsFloat);
        return _logitsFloat[0];
    }

    /// <summary>The next token of the stream, as a one-element span (B = 1).</summary>
    private ReadOnlySpan<int> NextToken()
    {
        int position = _position;
        _position = (position + 1) & (StreamLength - 1);
        return _stream.AsSpan(position, 1);
    }

    /// <summary>FLOPs of one token: 2·G·H·H (recurrence) + 2·O·H (head).</summary>
    public static double UsefulFlops(CellKind cell) => 2.0 * cell.Gates() * HiddenSize * HiddenSize + 2.0 * VocabularySize * HiddenSize;
}

/// <summary>W3's job (<see cref="BenchConfig.Workload"/>), tokens/s and GFLOP/s.</summary>
public sealed class W3Config : ManualConfig
{
    public W3Config()
    {
        Add(BenchConfig.Workload());
        AddColumn(RateColumn.TokensPerSecond(1));
        AddColumn(RateColumn.Gflops(c => W3Benchmarks.UsefulFlops((CellKind)c.Parameters["Cell"])));
    }
}
