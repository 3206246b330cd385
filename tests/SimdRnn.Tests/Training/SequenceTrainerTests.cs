using SimdRnn.Cells;
using SimdRnn.Models;
using SimdRnn.Training;
using Xunit;

namespace SimdRnn.Tests.Training;

public class SequenceTrainerTests
{
    /// <summary>Sequences of ±1 whose class is the sign of their first element: a long-range task.</summary>
    private static List<SequenceBatch<float>> FirstSignBatches(int count, int steps, int batch, int seed)
    {
        var random = new Random(seed);
        var batches = new List<SequenceBatch<float>>();
        for (int n = 0; n < count; n++)
        {
            var x = new float[steps * batch];
            var classes = new int[batch];
            var lengths = new int[batch];
            for (int b = 0; b < batch; b++)
            {
                lengths[b] = 1 + random.Next(steps);
                for (int t = 0; t < steps; t++) x[t * batch + b] = random.Next(2) == 0 ? -1 : 1;
                classes[b] = x[b] > 0 ? 1 : 0;
            }
            batches.Add(new SequenceBatch<float>(steps, batch) { Dense = x, ClassTargets = classes, Lengths = lengths });
        }
        return batches;
    }

    private static SequenceModel<float> Classifier(CellKind cell) => new(new SequenceModelOptions
    {
        Cell = cell, Input = InputKind.Dense, InputSize = 1, HiddenSize = 16, Layers = 2,
        Head = HeadKind.Classification, OutputSize = 2, Seed = 5,
    });

    [Theory]
    [InlineData(CellKind.Lstm)]
    [InlineData(CellKind.Gru)]
    public void Train_OnALongRangeTask_LearnsIt(CellKind cell)
    {
        var batches = FirstSignBatches(40, 12, 16, 1);
        using var model = Classifier(cell);
        using var adam = new Adam<float>(0.01);
        var losses = SequenceTrainer.Train(model, adam, batches, new SequenceTrainingOptions { Epochs = 15, MaxGradientNorm = 5 });
        Assert.True(losses[0] > 0.5, $"first epoch {losses[0]}");
        Assert.True(losses[^1] < 0.1, $"last epoch {losses[^1]} (ln 2 = 0.69 is guessing)");
    }

    [Fact]
    public void Train_IsBitIdenticalOnRepeat()
    {
        var batches = FirstSignBatches(5, 6, 4, 2);
        float[] Run()
        {
            using var model = Classifier(CellKind.Lstm);
            using var adam = new Adam<float>(0.01);
            SequenceTrainer.Train(model, adam, batches, new SequenceTrainingOptions { Epochs = 2 });
            return model.Parameters.Flat.ToArray();
        }
        Assert.Equal(Run(), Run());
    }

    [Theory]
    [InlineData(CellKind.Lstm)]
    [InlineData(CellKind.Gru)]
    [InlineData(CellKind.RnnTanh)]
    public void Train_OneAndTwoThreads_GiveBitIdenticalWeights(CellKind cell)
    {
        // Sizes large enough that the GEMMs do split over the team.
        var random = new Random(9);
        const int steps = 16, batch = 24, c = 40;
        var batches = Enumerable.Range(0, 2).Select(_ => new SequenceBatch<float>(steps, batch)
        {
            Tokens = Enumerable.Range(0, steps * batch).Select(_ => random.Next(c)).ToArray(),
            TokenTargets = Enumerable.Range(0, steps * batch).Select(_ => random.Next(c)).ToArray(),
        }).ToList();
        float[] Run(int threads)
        {
            using var model = new SequenceModel<float>(new SequenceModelOptions
            {
                Cell = cell, Input = InputKind.Embedding, InputSize = c, EmbeddingSize = 48, HiddenSize = 96,
                Layers = 2, OutputSize = c, Seed = 3, Threads = threads,
            });
            using var adam = new Adam<float>(1e-3);
            SequenceTrainer.Train(model, adam, batches, new SequenceTrainingOptions { Epochs = 2 });
            return model.Parameters.Flat.ToArray();
        }
        var one = Run(1);
        Assert.Equal(one, Run(2));
        Assert.Equal(one, Run(1));
    }

    [Fact]
    public void TrainStream_CarriesTheStateAcrossChunks()
    {
        // With a learning rate too small to move a float weight, the epoch's loss over the chunks
        // must equal the loss of each parallel stream read in one piece: only a carried state gives that.
        const int c = 7, b = 3, chunk = 4, chunks = 5;
        var random = new Random(3);
        int[] stream = [.. Enumerable.Range(0, b * chunk * chunks + 1).Select(_ => random.Next(c))];
        using var model = new SequenceModel<float>(new SequenceModelOptions
        {
            Cell = CellKind.Gru, Input = InputKind.Embedding, InputSize = c, EmbeddingSize = 5, HiddenSize = 6,
            Layers = 2, OutputSize = c, Seed = 2,
        });
        using var sgd = new Sgd<float>(1e-30);
        var losses = SequenceTrainer.TrainStream(model, sgd, stream, b, chunk, new SequenceTrainingOptions { Epochs = 1 });

        int perStream = chunk * chunks;
        var x = new int[perStream * b];
        var y = new int[perStream * b];
        for (int t = 0; t < perStream; t++)
            for (int s = 0; s < b; s++)
            {
                x[t * b + s] = stream[s * perStream + t];
                y[t * b + s] = stream[s * perStream + t + 1];
            }
        double whole = model.Loss(new SequenceBatch<float>(perStream, b) { Tokens = x, TokenTargets = y }) / (perStream * b);
        Assert.Equal(whole, losses[0], 5);
    }

    [Fact]
    public void Train_ClipsTheGlobalNorm_BeforeTheStep()
    {
        var batches = FirstSignBatches(1, 5, 4, 3);
        using var model = Classifier(CellKind.RnnTanh);
        var before = model.Parameters.Flat.ToArray();
        using var sgd = new Sgd<float>(0.1);
        SequenceTrainer.Train(model, sgd, batches, new SequenceTrainingOptions { Epochs = 1, MaxGradientNorm = 1e-3 });
        double change = Math.Sqrt(model.Parameters.Flat.ToArray().Zip(before, (a, b) => (double)(a - b) * (a - b)).Sum());
        Assert.Equal(0.1 * 1e-3, change, 6);
    }

    [Fact]
    public void Train_ScheduleSetsTheRateAfterEachEpoch()
    {
        var batches = FirstSignBatches(2, 4, 4, 4);
        using var model = Classifier(CellKind.Gru);
        using var sgd = new Sgd<float>(0.1);
        var rates = new List<double>();
        var progress = new Recorder(p => rates.Add(p.LearningRate));
        SequenceTrainer.Train(model, sgd, batches, new SequenceTrainingOptions { Epochs = 3, Schedule = new ExponentialDecay(0.5) }, progress);
        Assert.Equal([0.05, 0.025, 0.0125], rates);
    }

    [Fact]
    public void Train_NonFiniteLoss_StopsSayingWhere_AndKeepsTheWeights()
    {
        var batches = FirstSignBatches(3, 4, 2, 5);
        var bad = batches[2].Dense.ToArray();
        bad[1] = float.NaN;
        batches[2] = new SequenceBatch<float>(4, 2) { Dense = bad, ClassTargets = batches[2].ClassTargets };
        using var model = Classifier(CellKind.Lstm);
        using var sgd = new Sgd<float>(0.1);
        var e = Assert.Throws<NonFiniteLossException>(() => SequenceTrainer.Train(model, sgd, batches,
            new SequenceTrainingOptions { Epochs = 1 }));
        Assert.Contains("batch 2", e.Message);
        // The weights are exactly those after the two good steps.
        using var twin = Classifier(CellKind.Lstm);
        using var twinSgd = new Sgd<float>(0.1);
        SequenceTrainer.Train(twin, twinSgd, batches[..2], new SequenceTrainingOptions { Epochs = 1 });
        Assert.Equal(twin.Parameters.Flat.ToArray(), model.Parameters.Flat.ToArray());
    }

    [Fact]
    public void Train_Cancelled_Throws()
    {
        var batches = FirstSignBatches(3, 4, 2, 6);
        using var model = Classifier(CellKind.Lstm);
        using var sgd = new Sgd<float>(0.1);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            SequenceTrainer.Train(model, sgd, batches, new SequenceTrainingOptions(), null, cancel.Token));
    }

    private sealed class Recorder(Action<SequenceTrainingProgress> report) : IProgress<SequenceTrainingProgress>
    {
        public void Report(SequenceTrainingProgress value) => report(value);
    }
}
