using SimdRnn.Models;
using SimdRnn.Tests.Support;
using SimdRnn.Training;
using Xunit;

namespace SimdRnn.Tests.Training;

public class SgdTrainerTests
{
    private static (List<int[]> Xs, List<int[]> Ys) Corpus(int vocabulary, int sentences, int seed)
    {
        var random = new Random(seed);
        var xs = new List<int[]>();
        var ys = new List<int[]>();
        for (int n = 0; n < sentences; n++)
        {
            var s = Data.Tokens(random, 2 + random.Next(10), vocabulary);
            xs.Add(s[..^1]);
            ys.Add(s[1..]);
        }
        return (xs, ys);
    }

    private sealed class Recorder : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];
        public void Report(TrainingProgress value) => Reports.Add(value);
    }

    [Fact]
    public void Train_HalvesTheLearningRate_ExactlyWhenTheEvaluatedLossRose()
    {
        // A learning rate far too large makes the loss go up and down, so both branches of the
        // rule are taken.
        var (xs, ys) = Corpus(15, 20, 1);
        using var model = new RnnLanguageModel<double>(15, 8, seed: 2);
        var recorder = new Recorder();
        var losses = SgdTrainer.Train(model, xs, ys, new SgdTrainingOptions { LearningRate = 3, Epochs = 30, EvaluateLossAfter = 2 }, recorder);

        Assert.Equal(15, losses.Count);
        Assert.Equal(30, recorder.Reports.Count);
        int rises = 0;
        double rate = 3;
        for (int k = 0; k < losses.Count; k++)
        {
            if (k > 0 && losses[k].MeanLoss > losses[k - 1].MeanLoss)
            {
                rate *= 0.5;
                rises++;
            }
            Assert.Equal(rate, recorder.Reports[2 * k].LearningRate);
            Assert.Equal(losses[k].MeanLoss, recorder.Reports[2 * k].MeanLoss);
            Assert.Equal(2L * k * xs.Count, losses[k].ExamplesSeen);
        }
        Assert.True(rises > 0, "the test needs at least one rise of the loss");
        Assert.True(rises < losses.Count - 1, "the test needs at least one fall of the loss");
    }

    [Fact]
    public void Train_BadSentenceAnywhere_ThrowsBeforeAnyStep()
    {
        var (xs, ys) = Corpus(10, 5, 3);
        ys[4][0] = 10;
        using var model = new RnnLanguageModel<float>(10, 4, seed: 1);
        var before = ReferenceBridge.Dense(model.Weights, RnnParameter.W);
        Assert.Throws<ArgumentOutOfRangeException>(() => SgdTrainer.Train(model, xs, ys, new SgdTrainingOptions { Epochs = 1 }));
        Assert.Equal(before, ReferenceBridge.Dense(model.Weights, RnnParameter.W));
        Assert.Throws<ArgumentException>(() => SgdTrainer.Train(model, xs, ys[..4], new SgdTrainingOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => SgdTrainer.Train(model, xs[..4], ys[..4], new SgdTrainingOptions { EvaluateLossAfter = 0 }));
    }

    [Fact]
    public void Train_Cancelled_StopsWithTheLastCompleteStep()
    {
        var (xs, ys) = Corpus(10, 50, 4);
        using var model = new RnnLanguageModel<float>(10, 4, seed: 1);
        using var cancel = new CancellationTokenSource();
        var recorder = new CancellingRecorder(cancel);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            SgdTrainer.Train(model, xs, ys, new SgdTrainingOptions { Epochs = 100 }, recorder, cancel.Token));
        Assert.Single(recorder.Reports);
    }

    private sealed class CancellingRecorder(CancellationTokenSource cancel) : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];
        public void Report(TrainingProgress value)
        {
            Reports.Add(value);
            cancel.Cancel();
        }
    }

    [Fact]
    public void Train_Diverging_SaysWhereAndKeepsTheLastGoodWeights()
    {
        // An absurd learning rate drives the logits past float.MaxValue: the loss becomes NaN.
        var (xs, ys) = Corpus(10, 40, 5);
        using var model = new RnnLanguageModel<float>(10, 8, seed: 1);
        var e = Assert.Throws<NonFiniteLossException>(() =>
            SgdTrainer.Train(model, xs, ys, new SgdTrainingOptions { LearningRate = 1e38, Epochs = 5 }));
        Assert.Contains("epoch", e.Message);
        Assert.Contains("sentence", e.Message);
        // A step with a NaN loss has NaN gradients: had it been applied, NaN would be in the weights.
        foreach (var p in new[] { RnnParameter.U, RnnParameter.V, RnnParameter.W })
            Assert.All(ReferenceBridge.Dense(model.Weights, p), v => Assert.False(double.IsNaN(v)));
    }
}
