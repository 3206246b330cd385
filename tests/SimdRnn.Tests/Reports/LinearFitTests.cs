using SimdRnn.Reports.Analysis;
using Xunit;

namespace SimdRnn.Tests.Reports;

public class LinearFitTests
{
    [Fact]
    public void LeastSquares_OnPointsOfALine_RecoversItWithRSquaredOne()
    {
        double[] x = [16, 32, 64, 128, 256];
        double[] y = x.Select(v => 12.5 + 0.75 * v).ToArray();

        var fit = LinearFit.LeastSquares(x, y)!;

        Assert.Equal(12.5, fit.Intercept, 1e-9);
        Assert.Equal(0.75, fit.Slope, 1e-12);
        Assert.Equal(1.0, fit.RSquared, 1e-12);
        Assert.Equal(12.5 + 0.75 * 1000, fit.At(1000), 1e-9);
    }

    [Fact]
    public void LeastSquares_OnNoisyPoints_MatchesTheHandComputedFit()
    {
        // x̄ = ȳ = 1.5, Sxx = 5, Sxy = 4, Syy = 5: b = 0.8, a = 1.5 - 0.8·1.5 = 0.3, R² = Sxy²/(Sxx·Syy) = 0.64.
        var fit = LinearFit.LeastSquares([0, 1, 2, 3], [0, 2, 1, 3])!;

        Assert.Equal(0.8, fit.Slope, 1e-12);
        Assert.Equal(0.3, fit.Intercept, 1e-12);
        Assert.Equal(0.64, fit.RSquared, 1e-12);
        Assert.True(fit.RSquared < 1);
    }

    [Fact]
    public void LeastSquares_NeedsTwoDistinctX()
    {
        Assert.Null(LinearFit.LeastSquares([3], [1]));
        Assert.Null(LinearFit.LeastSquares([2, 2, 2], [1, 2, 3]));
    }

    [Fact]
    public void LeastSquares_OnAFlatLine_HasSlopeZeroAndRSquaredOne()
    {
        var fit = LinearFit.LeastSquares([1, 2, 3], [4, 4, 4])!;
        Assert.Equal(0, fit.Slope, 1e-12);
        Assert.Equal(4, fit.Intercept, 1e-12);
        Assert.Equal(1, fit.RSquared);
    }
}
