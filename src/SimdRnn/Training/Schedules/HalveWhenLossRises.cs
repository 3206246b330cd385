namespace SimdRnn.Training;

/// <summary>
/// The seed tutorial's rule: η ← η/2 when the evaluated loss rose since the previous evaluation
/// (both known and evaluatedLoss &gt; previousEvaluatedLoss), else η stays.
/// </summary>
/// <remarks>A NaN loss compares false and so keeps the rate; the trainer stops on a non-finite loss before asking.</remarks>
public sealed class HalveWhenLossRises : ILearningRateSchedule
{
    /// <inheritdoc/>
    public double Next(double currentRate, int epoch, double? evaluatedLoss, double? previousEvaluatedLoss) =>
        evaluatedLoss is double now && previousEvaluatedLoss is double before && now > before
            ? currentRate * 0.5
            : currentRate;
}
