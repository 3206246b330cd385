// A performance target of the project's issues and how a measured figure stands against it.
// "x% off" is the shortfall relative to the goal: for "at least 100", 82.7 is 17.3% off; for
// "at most 1.5", 3.84 is 156% off.
namespace SimdRnn.Reports.Analysis;

/// <summary>Which side of the goal meets a target.</summary>
public enum Bound
{
    /// <summary>Met when the measured figure is the goal or more (rates, speed-ups).</summary>
    AtLeast,

    /// <summary>Met when the measured figure is the goal or less (times).</summary>
    AtMost,
}

/// <summary>A target: <paramref name="Description"/> is <paramref name="Bound"/> <paramref name="Goal"/> <paramref name="Unit"/>.</summary>
/// <param name="Description">What is measured, e.g. "W3 LSTM float token".</param>
/// <param name="Bound">Whether the figure must reach or stay under the goal.</param>
/// <param name="Goal">The goal, in <paramref name="Unit"/>.</param>
/// <param name="Unit">The unit of the goal and of the measured figure: "GFLOP/s", "ms", "µs", "%" or "x".</param>
public sealed record Target(string Description, Bound Bound, double Goal, string Unit)
{
    /// <summary>The target checked against <paramref name="measured"/> (in <see cref="Unit"/>); null when not measured.</summary>
    public TargetCheck Check(double? measured) => new(this, measured);
}

/// <summary>A target and the figure measured for it.</summary>
/// <param name="Target">The target.</param>
/// <param name="Measured">The figure in the target's unit; null when the run did not measure it.</param>
public sealed record TargetCheck(Target Target, double? Measured)
{
    /// <summary>Whether the target is met; null when the figure was not measured.</summary>
    public bool? Met => Measured is double m
        ? Target.Bound == Bound.AtLeast ? m >= Target.Goal : m <= Target.Goal
        : null;

    /// <summary>How far the figure misses the goal, as a percentage of the goal; 0 when met, null when not measured.</summary>
    public double? PercentOff => Measured is double m
        ? Met == true ? 0 : 100 * Math.Abs(m - Target.Goal) / Target.Goal
        : null;
}
