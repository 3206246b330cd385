namespace SimdRnn.Reference;

/// <summary>torch.optim.SGD (dampening 0) line by line, in double.</summary>
public sealed class ReferenceSgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
{
    private double[]? _buffer;

    /// <summary>η, changed by schedules between steps.</summary>
    public double LearningRate { get; set; } = learningRate;

    /// <summary>One step: b ← μb + g (b = g on the first step); θ ← θ − η·(g + μb, b or g).</summary>
    public void Step(double[] parameters, double[] gradients)
    {
        bool first = _buffer == null;
        _buffer ??= new double[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradients[i];
            if (weightDecay != 0)
                g = g + weightDecay * parameters[i];
            if (momentum != 0)
            {
                if (first)
                    _buffer[i] = g;
                else
                    _buffer[i] = momentum * _buffer[i] + g;
                if (nesterov)
                    g = g + momentum * _buffer[i];
                else
                    g = _buffer[i];
            }
            parameters[i] = parameters[i] - LearningRate * g;
        }
    }
}
