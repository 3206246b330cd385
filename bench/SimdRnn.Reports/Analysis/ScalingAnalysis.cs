// The scaling sweep of issue #4: W2's LSTM step, one thread, with one of T, B, H moved away from
// the base point (T 64, B 32, H 128) at a time. The CSV's Point is "axis=value"; the base point
// is written "T=64" and is also the B = 32 point of the B sweep and the H = 128 point of the H
// sweep. The step's work is linear in T and B and quadratic in H, so H is fitted against H².
using System.Globalization;
using SimdRnn.Reports.Parsing;

namespace SimdRnn.Reports.Analysis;

/// <summary>The T, B and H sweeps of ScalingBenchmarks.</summary>
public static class ScalingAnalysis
{
    /// <summary>The base point: steps T, batch B, hidden size H.</summary>
    public const int BaseT = 64, BaseB = 32, BaseH = 128;

    /// <summary>The T, B and H sweeps, in that order; a sweep with no rows has no points.</summary>
    public static IReadOnlyList<Sweep> Sweeps(IReadOnlyList<BenchmarkRow> rows)
    {
        var measured = rows.Where(r => r.Method == "LstmStep" && r.Parameters.ContainsKey("Point"))
            .Select(r => (Point: Parse(r.Parameters["Point"]), Seconds: r.MeanSeconds))
            .ToList();

        List<SweepPoint> Along(string axis, int baseValue, Func<double, double> x)
        {
            var onAxis = measured.Where(p => p.Point.Axis == axis).Select(p => (Value: p.Point.Value, p.Seconds));
            // The base point is written as a T point; the B and H sweeps take it at their base value.
            if (axis != "T")
                onAxis = onAxis.Concat(measured.Where(p => p.Point == ("T", BaseT)).Select(p => (Value: baseValue, p.Seconds)));
            return onAxis.Select(p => new SweepPoint(p.Value, x(p.Value), p.Seconds)).OrderBy(p => p.Value).ToList();
        }

        return
        [
            new Sweep("T", "steps per sequence", "T", $"W2 LSTM SGD step, 1 thread, B {BaseB}, H {BaseH}", Along("T", BaseT, v => v)),
            new Sweep("B", "sequences per batch", "B", $"W2 LSTM SGD step, 1 thread, T {BaseT}, H {BaseH}", Along("B", BaseB, v => v)),
            new Sweep("H", "hidden size", "H²", $"W2 LSTM SGD step, 1 thread, T {BaseT}, B {BaseB}", Along("H", BaseH, v => v * v)),
        ];
    }

    /// <summary>Reads "axis=value", e.g. "H=256".</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    public static (string Axis, int Value) Parse(string point)
    {
        string[] parts = point.Split('=');
        return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? (parts[0].Trim(), value)
            : throw new FormatException($"'{point}' is not a scaling point such as 'H=256'.");
    }
}
