// A sweep: one workload timed at several values of one size, with the other sizes fixed, and the
// least-squares line of its time against x, the quantity the work grows linearly with (T, B or K
// itself, H² for the hidden size).
namespace SimdRnn.Reports.Analysis;

/// <summary>One point of a sweep.</summary>
/// <param name="Value">The swept size, e.g. H = 256.</param>
/// <param name="X">The quantity the time is fitted against, e.g. H² = 65536.</param>
/// <param name="Seconds">The mean time of the step.</param>
public sealed record SweepPoint(double Value, double X, double Seconds)
{
    /// <summary>Milliseconds per unit of x; null at x = 0.</summary>
    public double? MillisecondsPerX => X != 0 ? Seconds * 1e3 / X : null;
}

/// <summary>A workload timed along one axis, and time (ms) = a + b·x fitted to it.</summary>
/// <param name="Axis">The swept size: "T", "B", "H" or "K".</param>
/// <param name="Meaning">What the axis counts, e.g. "steps per sequence".</param>
/// <param name="XName">The fitted quantity: the axis, or "H²".</param>
/// <param name="Workload">What is timed and what is held fixed, with no machine-specific fact.</param>
/// <param name="Points">The points, smallest value first.</param>
public sealed record Sweep(string Axis, string Meaning, string XName, string Workload, IReadOnlyList<SweepPoint> Points)
{
    /// <summary>The least-squares line of milliseconds against x; null with fewer than two distinct x.</summary>
    public LinearFit? Fit { get; } = LinearFit.LeastSquares(
        Points.Select(p => p.X).ToList(), Points.Select(p => p.Seconds * 1e3).ToList());

    /// <summary>The file name of the sweep's chart.</summary>
    public string ChartFile => $"scaling-{Axis}.png";

    /// <summary>The chart's title: the workload and what is plotted.</summary>
    public string Title => $"{Workload}: step time against {XName}";
}
