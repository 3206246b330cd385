namespace SimdRnn.Training;

/// <summary>The settings of the tutorial's train_with_sgd.</summary>
public sealed record SgdTrainingOptions
{
    /// <summary>The initial learning rate (the tutorial's 0.005).</summary>
    public double LearningRate { get; init; } = 0.005;

    /// <summary>Passes over the corpus.</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>Evaluate the mean loss every this many epochs (and halve the learning rate when it rose).</summary>
    public int EvaluateLossAfter { get; init; } = 5;

    internal void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive and finite.");
        ArgumentOutOfRangeException.ThrowIfNegative(Epochs, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(EvaluateLossAfter, 1, nameof(EvaluateLossAfter));
    }
}

/// <summary>Where training is, reported after every epoch.</summary>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="ExamplesSeen">Sentences trained on so far.</param>
/// <param name="MeanLoss">The mean loss per token of the last evaluation.</param>
/// <param name="LearningRate">The learning rate now in use.</param>
/// <param name="TokensPerSecond">Tokens per second of SGD steps over the epoch just done.</param>
public readonly record struct TrainingProgress(int Epoch, long ExamplesSeen, double MeanLoss, double LearningRate, double TokensPerSecond);

/// <summary>One evaluation of the loss, as in the tutorial's list of losses.</summary>
/// <param name="ExamplesSeen">Sentences trained on before the evaluation.</param>
/// <param name="MeanLoss">The mean loss per token over the corpus.</param>
public readonly record struct LossPoint(long ExamplesSeen, double MeanLoss);
