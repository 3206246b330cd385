namespace SimdRnn.Training;

/// <summary>η ← η · d at every epoch, whatever the loss (torch.optim.lr_scheduler.ExponentialLR with γ = d).</summary>
public sealed class ExponentialDecay : ILearningRateSchedule
{
    /// <summary>A schedule that multiplies the rate by <paramref name="decayPerEpoch"/> each epoch.</summary>
    /// <param name="decayPerEpoch">d in (0, 1]; 1 keeps the rate.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decayPerEpoch"/> is outside (0, 1].</exception>
    public ExponentialDecay(double decayPerEpoch)
    {
        if (!(decayPerEpoch > 0 && decayPerEpoch <= 1))
            throw new ArgumentOutOfRangeException(nameof(decayPerEpoch), decayPerEpoch, "The decay per epoch must lie in (0, 1].");
        DecayPerEpoch = decayPerEpoch;
    }

    /// <summary>d, the factor applied each epoch.</summary>
    public double DecayPerEpoch { get; }

    /// <inheritdoc/>
    public double Next(double currentRate, int epoch, double? evaluatedLoss, double? previousEvaluatedLoss) =>
        currentRate * DecayPerEpoch;
}
