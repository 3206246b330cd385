namespace SimdRnn.Reference;

/// <summary>torch.optim.Adam (no AMSGrad) line by line, in double.</summary>
public sealed class ReferenceAdam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
                                  double epsilon = 1e-8, double weightDecay = 0)
{
    private double[]? _m, _v;
    private int _t;

    /// <summary>η, changed by schedules between steps.</summary>
    public double LearningRate { get; set; } = learningRate;

    /// <summary>One step: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − η m̂ / (√v̂ + ε).</summary>
    public void Step(double[] parameters, double[] gradients)
    {
        _m ??= new double[parameters.Length];
        _v ??= new double[parameters.Length];
        _t++;
        double biasCorrection1 = 1 - Math.Pow(beta1, _t);
        double biasCorrection2 = 1 - Math.Pow(beta2, _t);
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradients[i];
            if (weightDecay != 0)
                g = g + weightDecay * parameters[i];
            _m[i] = beta1 * _m[i] + (1 - beta1) * g;
            _v[i] = beta2 * _v[i] + (1 - beta2) * g * g;
            double mHat = _m[i] / biasCorrection1;
            double vHat = _v[i] / biasCorrection2;
            parameters[i] = parameters[i] - LearningRate * mHat / (Math.Sqrt(vHat) + epsilon);
        }
    }
}
