// W2 of DESIGN.md §4, char-level batched training: C = 65, H in {128, 512}, T = 64, B = 32;
// tanh RNN, GRU, LSTM; one SGD step (forward, full BPTT, update) in tokens/s and GFLOP/s.
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using SimdRnn.Cells;
using SimdRnn.Kernels;
using SimdRnn.Models;
using SimdRnn.Reference;
using SimdRnn.Training;

namespace SimdRnn.Benchmarks;

/// <summary>
/// W2: one SGD step of a one-layer character language model on a (T, B) = (64, 32) batch, for
/// every cell, both hidden sizes and 1 or 2 threads. The GFLOP/s column counts the useful work of
/// the GEMMs only: the forward pass is 2·T·B·G·H·(I_eff + H) for the cell plus 2·T·B·O·H for the
/// head, the backward pass twice that, so one step is
/// 3 × 2·T·B·G·H·(I_eff + H) + 3 × 2·T·B·O·H. With one-hot input the input projection W_ih x_t is
/// a gather of column x_t, not a product, so I_eff = 0 (see <see cref="UsefulFlops"/>). The scalar
/// reference would take minutes at H = 512, so it runs beside the 1-thread fast path in
/// <see cref="W2ReferenceBenchmarks"/> at H = 128 only.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(W2Config))]
public class W2Benchmarks
{
    public const int VocabularySize = 65, Steps = 64, BatchSize = 32;
    public const int TokensPerStep = Steps * BatchSize;
    internal const int Seed = 1;

    // Small enough that the weights barely move over the many steps a run takes on one batch.
    internal const double LearningRate = 1e-4;

    private SequenceModel<float>? _model;
    private Sgd<float>? _sgd;
    private SequenceBatch<float>? _batch;

    [Params(CellKind.RnnTanh, CellKind.Gru, CellKind.Lstm)]
    public CellKind Cell { get; set; }

    [Params(128, 512)]
    public int H { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = new SequenceModel<float>(Options(Cell, H, Threads));
        _sgd = new Sgd<float>(LearningRate);
        _batch = Batch();
        Console.WriteLine($"// W2: SIMD path {SimdPath.Name}, {Cell} H = {H}, {Threads} thread(s), initial loss {_model.Loss(_batch):F4}");
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
    public double FastFloat() => SgdStep(_model!, _sgd!, _batch!);

    /// <summary>The step every W2 row times: forward, loss and full BPTT, then the update.</summary>
    internal static double SgdStep(SequenceModel<float> model, Sgd<float> sgd, SequenceBatch<float> batch)
    {
        double loss = model.ForwardBackward(batch);
        sgd.Step(model.Parameters.Flat, model.Gradients.Flat);
        return loss;
    }

    /// <summary>The W2 model: one layer over one-hot characters, a language-model head over the same 65 characters.</summary>
    internal static SequenceModelOptions Options(CellKind cell, int hidden, int threads) => new()
    {
        Cell = cell,
        Input = InputKind.OneHot,
        InputSize = VocabularySize,
        HiddenSize = hidden,
        Layers = 1,
        Head = HeadKind.LanguageModel,
        OutputSize = VocabularySize,
        Seed = Seed,
        Threads = threads,
    };

    /// <summary>B random streams of T + 1 characters, time-major: the inputs and, one step later, the targets.</summary>
    internal static (int[] Tokens, int[] Targets) Text(int steps = Steps, int batch = BatchSize)
    {
        var random = new Random(Seed);
        var streams = new int[(steps + 1) * batch];
        for (int i = 0; i < streams.Length; i++)
            streams[i] = random.Next(VocabularySize);
        return (streams[..(steps * batch)], streams[batch..]);
    }

    /// <summary>
    /// Useful FLOPs of one step: 3 × 2·T·B·G·H·(I_eff + H) + 3 × 2·T·B·O·H, forward plus a backward
    /// of twice the forward. I_eff = 0: the one-hot input projection is a gather of a column of
    /// W_ih (and its gradient a scatter-add of rows), no multiply-adds. Elementwise gate work and
    /// the softmax are not counted.
    /// </summary>
    public static double UsefulFlops(CellKind cell, int hidden, int steps = Steps, int batch = BatchSize)
    {
        const double inputEffective = 0;
        double tb = (double)steps * batch;
        double forward = 2 * tb * cell.Gates() * hidden * (inputEffective + hidden) + 2 * tb * VocabularySize * hidden;
        return 3 * forward;
    }

    /// <summary>The FLOPs of a summary row, from its Cell and H parameters.</summary>
    internal static double UsefulFlops(BenchmarkCase benchmarkCase)
        => UsefulFlops((CellKind)benchmarkCase.Parameters["Cell"], (int)benchmarkCase.Parameters["H"]);

    /// <summary>The W2 model's step on a batch of <paramref name="steps"/> x <paramref name="batch"/> random characters.</summary>
    internal static SequenceBatch<float> Batch(int steps = Steps, int batch = BatchSize)
    {
        var (tokens, targets) = Text(steps, batch);
        return new SequenceBatch<float>(steps, batch) { Tokens = tokens, TokenTargets = targets };
    }
}

/// <summary>
/// W2 against its scalar twin: the reference (plain double loops, forward + full BPTT, then the
/// update) as the baseline and the fast float path on one thread, at H = 128 only, where the
/// reference takes about a second per step; the Ratio column compares the two.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(W2Config))]
public class W2ReferenceBenchmarks
{
    private SequenceModel<float>? _model;
    private Sgd<float>? _sgd;
    private SequenceBatch<float>? _batch;
    private ReferenceSequenceModel? _reference;
    private ReferenceBatch? _referenceBatch;

    [Params(CellKind.RnnTanh, CellKind.Gru, CellKind.Lstm)]
    public CellKind Cell { get; set; }

    /// <summary>A single value, kept as a parameter so the summary shows it and the GFLOP/s column reads it.</summary>
    [Params(128)]
    public int H { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = new SequenceModel<float>(W2Benchmarks.Options(Cell, H, threads: 1));
        _sgd = new Sgd<float>(W2Benchmarks.LearningRate);
        var (tokens, targets) = W2Benchmarks.Text();
        _batch = new SequenceBatch<float>(W2Benchmarks.Steps, W2Benchmarks.BatchSize) { Tokens = tokens, TokenTargets = targets };

        // The reference holds the float model's weights exactly (float to double is exact).
        var referenceCell = Cell switch
        {
            CellKind.RnnTanh => ReferenceCell.RnnTanh,
            CellKind.Gru => ReferenceCell.Gru,
            _ => ReferenceCell.Lstm,
        };
        _reference = new ReferenceSequenceModel(referenceCell, ReferenceInput.OneHot, W2Benchmarks.VocabularySize, embeddingSize: 0,
                                                H, numLayers: 1, bias: true, ReferenceHead.LanguageModel, W2Benchmarks.VocabularySize);
        var layer = _reference.Layers[0];
        Copy("weight_ih_l0", layer.WeightIh);
        Copy("weight_hh_l0", layer.WeightHh);
        Copy("bias_ih_l0", layer.BiasIh!);
        Copy("bias_hh_l0", layer.BiasHh!);
        Copy("head.weight", _reference.HeadWeight);
        Copy("head.bias", _reference.HeadBias!);
        _referenceBatch = new ReferenceBatch
        {
            T = W2Benchmarks.Steps,
            B = W2Benchmarks.BatchSize,
            Tokens = tokens,
            Lengths = Enumerable.Repeat(W2Benchmarks.Steps, W2Benchmarks.BatchSize).ToArray(),
            TokenTargets = targets,
        };

        // Both start from the same weights: a wrong copy would compare different work.
        double expected = _reference.Loss(_referenceBatch);
        double actual = _model.Loss(_batch);
        if (Math.Abs(actual - expected) > 1e-4 * Math.Abs(expected))
            throw new InvalidOperationException($"The fast model's loss {actual} differs from the reference's {expected}.");
        Console.WriteLine($"// W2 reference: SIMD path {SimdPath.Name}, {Cell} H = {H}, initial loss {expected:F4} (fast float {actual:F4})");
    }

    private void Copy(string name, double[] destination)
    {
        var values = new float[destination.Length];
        _model!.Parameters.CopyTo(name, values);
        for (int i = 0; i < values.Length; i++)
            destination[i] = values[i];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model?.Dispose();
        _sgd?.Dispose();
        _model = null;
        _sgd = null;
        _reference = null;
    }

    /// <summary>Forward and full BPTT in the reference, then the plain SGD update θ ← θ − η g.</summary>
    [Benchmark(Baseline = true)]
    public double Reference()
    {
        var reference = _reference!;
        var result = reference.Run(_referenceBatch!);
        var layer = reference.Layers[0];
        var gradients = result.Layers[0];
        Update(layer.WeightIh, gradients.DWeightIh);
        Update(layer.WeightHh, gradients.DWeightHh);
        Update(layer.BiasIh!, gradients.DBiasIh!);
        Update(layer.BiasHh!, gradients.DBiasHh!);
        Update(reference.HeadWeight, result.DHeadWeight);
        Update(reference.HeadBias!, result.DHeadBias!);
        return result.Loss;
    }

    private static void Update(double[] weights, double[] gradients)
    {
        for (int i = 0; i < weights.Length; i++)
            weights[i] -= W2Benchmarks.LearningRate * gradients[i];
    }

    [Benchmark]
    public double FastFloat() => W2Benchmarks.SgdStep(_model!, _sgd!, _batch!);
}

/// <summary>
/// W2's job (<see cref="BenchConfig.Workload"/> with 20 iterations: on a shared 2-core machine 10
/// left errors of 10–25% of the mean, and all of W2 still runs in a few minutes), tokens/s and
/// the useful GFLOP/s of <see cref="W2Benchmarks.UsefulFlops(CellKind, int)"/>.
/// </summary>
public sealed class W2Config : ManualConfig
{
    public const int IterationCount = 20;

    public W2Config()
    {
        Add(BenchConfig.Workload(IterationCount));
        AddColumn(RateColumn.TokensPerSecond(W2Benchmarks.TokensPerStep));
        AddColumn(RateColumn.Gflops(W2Benchmarks.UsefulFlops));
    }
}
