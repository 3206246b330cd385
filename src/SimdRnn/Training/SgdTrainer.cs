using System.Diagnostics;
using System.Numerics;
using SimdRnn.Models;

namespace SimdRnn.Training;

/// <summary>
/// The tutorial's train_with_sgd: one SGD step per sentence; every <c>EvaluateLossAfter</c>
/// epochs the mean loss over the corpus is evaluated, and the learning rate is halved when it
/// rose since the last evaluation.
/// </summary>
public static class SgdTrainer
{
    private static readonly HalveWhenLossRises HalvingRule = new();

    /// <summary>
    /// Trains <paramref name="model"/> on the sentences xs[n] with targets ys[n] and returns the losses
    /// evaluated along the way. The whole corpus is validated before the first step.
    /// </summary>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite; the message says
    /// at which epoch and sentence, and the weights are those before that step.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the weights are those after the last complete step.</exception>
    public static IReadOnlyList<LossPoint> Train<T>(RnnLanguageModel<T> model, IReadOnlyList<int[]> xs, IReadOnlyList<int[]> ys,
                                                    SgdTrainingOptions options, IProgress<TrainingProgress>? progress = null,
                                                    CancellationToken cancellationToken = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        RnnLanguageModel<T>.CheckCorpus(xs, ys);
        for (int n = 0; n < xs.Count; n++)
            model.ValidateSentence(xs[n], ys[n]);

        var losses = new List<LossPoint>();
        double learningRate = options.LearningRate, meanLoss = double.NaN;
        long examplesSeen = 0;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            if (epoch % options.EvaluateLossAfter == 0)
            {
                meanLoss = model.MeanLoss(xs, ys);
                if (!double.IsFinite(meanLoss))
                    throw new NonFiniteLossException($"The mean loss is {meanLoss} before epoch {epoch}, after {examplesSeen} sentences.");
                learningRate = HalvingRule.Next(learningRate, epoch, meanLoss, losses.Count > 0 ? losses[^1].MeanLoss : null);
                losses.Add(new LossPoint(examplesSeen, meanLoss));
            }
            var clock = Stopwatch.StartNew();
            long tokens = 0;
            T rate = T.CreateTruncating(learningRate);
            for (int n = 0; n < xs.Count; n++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    model.SgdStep(xs[n], ys[n], rate);
                }
                catch (NonFiniteLossException e)
                {
                    throw new NonFiniteLossException($"Training diverged at epoch {epoch}, sentence {n} (step {examplesSeen + 1}): {e.Message}", e);
                }
                examplesSeen++;
                tokens += xs[n].Length;
            }
            progress?.Report(new TrainingProgress(epoch + 1, examplesSeen, meanLoss, learningRate, tokens / clock.Elapsed.TotalSeconds));
        }
        return losses;
    }
}
