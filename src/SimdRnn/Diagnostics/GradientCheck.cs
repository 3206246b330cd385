using SimdRnn.Models;

namespace SimdRnn.Diagnostics;

/// <summary>How <see cref="GradientCheck"/> probes the model.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>The step h of the finite differences. The default suits double precision with the
    /// five-point stencil, whose error is O(h^4).</summary>
    public double StepSize { get; init; } = 1e-3;

    /// <summary>Entries checked per parameter, drawn at random without repetition; 0 checks all.</summary>
    public int MaxEntriesPerParameter { get; init; }

    /// <summary>Seed of the draw of entries.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Check the gradient of full BPTT, as the tutorial does (it sets bptt_truncate to 1000 first).
    /// A truncated BPTT is not the true gradient of E, so with false and K &lt; T-1 the check is
    /// expected to fail: that is how it shows what truncation leaves out.
    /// </summary>
    public bool UseFullBptt { get; init; } = true;

    /// <summary>The smallest denominator of the relative error. Entries whose gradient is below it
    /// are judged by their absolute error divided by it, since the difference quotient of an
    /// E of order 10 cannot resolve them better than about 1e-11.</summary>
    public double DenominatorFloor { get; init; } = 1e-5;
}

/// <summary>The worst entry of one parameter in a gradient check.</summary>
/// <param name="Name">The parameter: U, V or W of the seed's model, or a PyTorch name such as weight_hh_l0.</param>
/// <param name="EntriesChecked">How many entries were compared.</param>
/// <param name="MaxRelativeError">max |a − n| / max(|a| + |n|, floor) over the entries.</param>
/// <param name="Row">Row (public shape) of the worst entry.</param>
/// <param name="Col">Column (public shape) of the worst entry.</param>
/// <param name="Analytic">The backpropagated gradient at the worst entry.</param>
/// <param name="Numeric">The finite-difference estimate at the worst entry.</param>
public sealed record ParameterCheck(string Name, int EntriesChecked, double MaxRelativeError,
                                    int Row, int Col, double Analytic, double Numeric);

/// <summary>The outcome of a gradient check: one line per parameter.</summary>
/// <param name="Parameters">One line per parameter, in the model's order.</param>
public sealed record GradientCheckResult(IReadOnlyList<ParameterCheck> Parameters)
{
    /// <summary>The largest relative error over all parameters.</summary>
    public double MaxRelativeError => Parameters.Max(p => p.MaxRelativeError);

    /// <summary>True when every relative error is below <paramref name="threshold"/>.</summary>
    public bool Passed(double threshold) => MaxRelativeError < threshold;
}

/// <summary>
/// The tutorial's gradient check, in double: for each checked entry θ of every parameter, compares the
/// backpropagated dE/dθ with the five-point difference quotient
/// (E(θ−2h) − 8E(θ−h) + 8E(θ+h) − E(θ+2h)) / 12h.
/// </summary>
public static class GradientCheck
{
    /// <summary>Checks the gradient of E on one sentence. The model's weights are restored after each probe.</summary>
    public static GradientCheckResult Run(RnnLanguageModel<double> model, ReadOnlySpan<int> x, ReadOnlySpan<int> y,
                                          GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options = Validate(options);
        int truncate = model.BpttTruncate;
        if (options.UseFullBptt) model.BpttTruncate = int.MaxValue;
        try
        {
            model.Bptt(x, y);
            var random = new Random(options.Seed);
            var lines = new List<ParameterCheck>();
            foreach (var parameter in new[] { RnnParameter.U, RnnParameter.V, RnnParameter.W })
            {
                var (rows, cols) = model.Weights.Shape(parameter);
                var ids = x.ToArray();
                var targets = y.ToArray();
                lines.Add(CheckParameter(parameter.ToString(), rows, cols,
                    (i, j) => model.Weights[parameter, i, j], (i, j, v) => model.Weights[parameter, i, j] = v,
                    (i, j) => model.Gradients[parameter, i, j], () => model.TotalLoss(ids, targets), options, random));
            }
            return new GradientCheckResult(lines);
        }
        finally
        {
            model.BpttTruncate = truncate;
        }
    }

    /// <summary>Checks the gradient of E on one batch, for every named parameter (dropout must be 0:
    /// the check needs the same function at every probe).</summary>
    public static GradientCheckResult Run(SequenceModel<double> model, SequenceBatch<double> batch, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options = Validate(options);
        if (model.Options.Dropout > 0)
            throw new ArgumentException("A gradient check needs a deterministic loss: set Dropout to 0.", nameof(model));
        model.ForwardBackward(batch);
        var random = new Random(options.Seed);
        var lines = new List<ParameterCheck>();
        foreach (string name in model.Parameters.Names)
        {
            var (rows, cols) = model.Parameters.Shape(name);
            lines.Add(CheckParameter(name, rows, cols,
                (i, j) => model.Parameters[name, i, j], (i, j, v) => model.Parameters[name, i, j] = v,
                (i, j) => model.Gradients[name, i, j], () => model.Loss(batch), options, random));
        }
        return new GradientCheckResult(lines);
    }

    private static GradientCheckOptions Validate(GradientCheckOptions? options)
    {
        options ??= new GradientCheckOptions();
        if (!(options.StepSize > 0) || !double.IsFinite(options.StepSize))
            throw new ArgumentOutOfRangeException(nameof(options), options.StepSize, "StepSize must be positive and finite.");
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxEntriesPerParameter);
        return options;
    }

    private static ParameterCheck CheckParameter(string name, int rows, int cols, Func<int, int, double> get, Action<int, int, double> set,
                                                 Func<int, int, double> analyticAt, Func<double> loss,
                                                 GradientCheckOptions options, Random random)
    {
        int count = rows * cols;
        int[] entries = Enumerable.Range(0, count).ToArray();
        if (options.MaxEntriesPerParameter > 0 && options.MaxEntriesPerParameter < count)
        {
            random.Shuffle(entries);
            entries = entries[..options.MaxEntriesPerParameter];
        }
        double h = options.StepSize, worst = 0, worstA = 0, worstN = 0;
        int worstEntry = entries.Length > 0 ? entries[0] : 0;
        foreach (int entry in entries)
        {
            int i = entry / cols, j = entry % cols;
            double original = get(i, j);
            double LossAt(double value)
            {
                set(i, j, value);
                return loss();
            }
            double minus2 = LossAt(original - 2 * h), minus1 = LossAt(original - h);
            double plus1 = LossAt(original + h), plus2 = LossAt(original + 2 * h);
            set(i, j, original);
            // Differences first: where E does not depend on the entry they are exactly zero,
            // whereas E - 8E + 8E - E rounds to a few ulps of E.
            double numeric = (8 * (plus1 - minus1) - (plus2 - minus2)) / (12 * h);
            double analytic = analyticAt(i, j);
            double error = Math.Abs(analytic - numeric) / Math.Max(Math.Abs(analytic) + Math.Abs(numeric), options.DenominatorFloor);
            if (double.IsNaN(error) || error > worst)
            {
                (worst, worstA, worstN, worstEntry) = (double.IsNaN(error) ? double.PositiveInfinity : error, analytic, numeric, entry);
                if (double.IsPositiveInfinity(worst)) break;
            }
        }
        return new ParameterCheck(name, entries.Length, worst, worstEntry / cols, worstEntry % cols, worstA, worstN);
    }
}
