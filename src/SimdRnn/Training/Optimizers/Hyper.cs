namespace SimdRnn.Training;

/// <summary>Checks of optimizer hyper-parameters, with PyTorch's ranges, naming the argument.</summary>
internal static class Hyper
{
    /// <summary>A learning rate must be positive and finite.</summary>
    public static double LearningRate(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, "The learning rate must be positive and finite.");
        return value;
    }

    /// <summary>Momentum, weight decay and epsilon must be non-negative and finite.</summary>
    public static double NonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative and finite.");
        return value;
    }

    /// <summary>An exponential-average coefficient (Adam's betas) must lie in [0, 1).</summary>
    public static double UnitInterval(double value, string name)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1).");
        return value;
    }

    /// <summary>RMSprop's smoothing constant must lie in [0, 1].</summary>
    public static double ClosedUnitInterval(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1].");
        return value;
    }
}
