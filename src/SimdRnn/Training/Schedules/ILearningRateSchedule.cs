namespace SimdRnn.Training;

/// <summary>A rule for the learning rate between epochs.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The rate to use next.</summary>
    /// <param name="currentRate">The rate used so far.</param>
    /// <param name="epoch">The epoch about to start (0-based).</param>
    /// <param name="evaluatedLoss">The loss just evaluated, or null if none was evaluated this time.</param>
    /// <param name="previousEvaluatedLoss">The loss evaluated before that, or null if there is none.</param>
    double Next(double currentRate, int epoch, double? evaluatedLoss, double? previousEvaluatedLoss);
}
