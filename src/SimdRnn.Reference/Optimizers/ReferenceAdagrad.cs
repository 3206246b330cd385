namespace SimdRnn.Reference;

/// <summary>torch.optim.Adagrad (lr_decay 0, initial accumulator 0) line by line, in double.</summary>
public sealed class ReferenceAdagrad(double learningRate = 0.01, double epsilon = 1e-10, double weightDecay = 0)
{
    private double[]? _sum;

    /// <summary>η, changed by schedules between steps.</summary>
    public double LearningRate { get; set; } = learningRate;

    /// <summary>One step: s ← s + g²; θ ← θ − η g / (√s + ε).</summary>
    public void Step(double[] parameters, double[] gradients)
    {
        _sum ??= new double[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradients[i];
            if (weightDecay != 0)
                g = g + weightDecay * parameters[i];
            _sum[i] = _sum[i] + g * g;
            double std = Math.Sqrt(_sum[i]) + epsilon;
            parameters[i] = parameters[i] - LearningRate * g / std;
        }
    }
}
