namespace SimdRnn.Reference;

/// <summary>torch.optim.RMSprop (not centered) line by line, in double.</summary>
public sealed class ReferenceRmsProp(double learningRate = 0.01, double alpha = 0.99, double epsilon = 1e-8,
                                     double momentum = 0, double weightDecay = 0)
{
    private double[]? _squareAverage, _buffer;

    /// <summary>η, changed by schedules between steps.</summary>
    public double LearningRate { get; set; } = learningRate;

    /// <summary>One step: v ← αv + (1 − α)g²; θ ← θ − η·(b or g / (√v + ε)).</summary>
    public void Step(double[] parameters, double[] gradients)
    {
        _squareAverage ??= new double[parameters.Length];
        _buffer ??= new double[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradients[i];
            if (weightDecay != 0)
                g = g + weightDecay * parameters[i];
            _squareAverage[i] = alpha * _squareAverage[i] + (1 - alpha) * g * g;
            double avg = Math.Sqrt(_squareAverage[i]) + epsilon;
            if (momentum > 0)
            {
                _buffer[i] = momentum * _buffer[i] + g / avg;
                parameters[i] = parameters[i] - LearningRate * _buffer[i];
            }
            else
            {
                parameters[i] = parameters[i] - LearningRate * g / avg;
            }
        }
    }
}
