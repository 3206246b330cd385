namespace SimdRnn.Training;

/// <summary>How <see cref="SequenceTrainer"/> trains: epochs, clipping and the learning-rate schedule.</summary>
public sealed record SequenceTrainingOptions
{
    /// <summary>Passes over the data.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Clip the gradient to this global L2 norm before each step (torch.nn.utils.clip_grad_norm_); null: no clipping.</summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>Clamp every gradient entry to ±this before each step; null: no clamping.</summary>
    public double? ClipValue { get; init; }

    /// <summary>Asked after every epoch, with the epoch's mean training loss, for the next learning rate; null: constant.</summary>
    public ILearningRateSchedule? Schedule { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Epochs, nameof(Epochs));
        if (MaxGradientNorm is double n && !(n > 0))
            throw new ArgumentOutOfRangeException(nameof(MaxGradientNorm), n, "The norm bound must be positive.");
        if (ClipValue is double v && !(v > 0))
            throw new ArgumentOutOfRangeException(nameof(ClipValue), v, "The clip value must be positive.");
    }
}

/// <summary>Where sequence training is, reported after every epoch.</summary>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="Steps">Optimizer steps taken so far.</param>
/// <param name="MeanLoss">The epoch's loss per loss term (token or sequence).</param>
/// <param name="LearningRate">The rate the next epoch will use.</param>
/// <param name="TokensPerSecond">Valid input steps per second over the epoch.</param>
/// <param name="LastGradientNorm">The global gradient norm of the epoch's last step, before clipping.</param>
public readonly record struct SequenceTrainingProgress(int Epoch, long Steps, double MeanLoss, double LearningRate,
                                                       double TokensPerSecond, double LastGradientNorm);
