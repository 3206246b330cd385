// Ordinary least squares for one predictor: the line y = a + b·x that minimises the squared
// residuals, with b = Sxy / Sxx and a = ȳ - b·x̄, and R² = 1 - SS_res / SS_tot, the share of the
// variance of y that the line explains.
namespace SimdRnn.Reports.Analysis;

/// <summary>The least-squares line y = <see cref="Intercept"/> + <see cref="Slope"/>·x and its R².</summary>
/// <param name="Intercept">a: the line's value at x = 0.</param>
/// <param name="Slope">b: the change of y per unit of x.</param>
/// <param name="RSquared">1 - SS_res / SS_tot; 1 when the points lie on the line.</param>
public sealed record LinearFit(double Intercept, double Slope, double RSquared)
{
    /// <summary>a + b·x.</summary>
    public double At(double x) => Intercept + Slope * x;

    /// <summary>
    /// The least-squares line through the points (x[i], y[i]); null with fewer than two distinct x,
    /// where no line is determined. R² is 1 when every y is the same (the flat line fits exactly).
    /// </summary>
    public static LinearFit? LeastSquares(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(y.Count, x.Count, nameof(y));
        if (x.Count < 2)
            return null;
        double xMean = x.Average(), yMean = y.Average();
        double sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            double dx = x[i] - xMean, dy = y[i] - yMean;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (sxx == 0)
            return null;
        double slope = sxy / sxx, intercept = yMean - slope * xMean;
        double ssResidual = 0;
        for (int i = 0; i < x.Count; i++)
        {
            double residual = y[i] - (intercept + slope * x[i]);
            ssResidual += residual * residual;
        }
        return new LinearFit(intercept, slope, syy == 0 ? 1 : 1 - ssResidual / syy);
    }
}
