using SimdRnn.Reports.Analysis;
using SimdRnn.Reports.Markdown;
using Xunit;

namespace SimdRnn.Tests.Reports;

public class TargetTests
{
    [Fact]
    public void AtLeast_BelowTheGoal_IsNotMetByTheShortfallOverTheGoal()
    {
        var check = new Target("GEMM 512", Bound.AtLeast, 100, "GFLOP/s").Check(82.7);

        Assert.False(check.Met);
        Assert.Equal(17.3, check.PercentOff!.Value, 1e-9);
        Assert.Equal("not met (17.3% off)", Format.Status(check));
    }

    [Fact]
    public void AtMost_AboveTheGoal_IsNotMet()
    {
        var check = new Target("W1 float full", Bound.AtMost, 1.5, "ms").Check(3.84);

        Assert.False(check.Met);
        Assert.Equal(156.0, check.PercentOff!.Value, 1e-9);
        Assert.Equal("not met (156.0% off)", Format.Status(check));
    }

    [Theory]
    [InlineData(Bound.AtLeast, 85, 85.0)]
    [InlineData(Bound.AtLeast, 85, 95.9)]
    [InlineData(Bound.AtMost, 120, 120.0)]
    [InlineData(Bound.AtMost, 120, 34.4)]
    public void OnOrPastTheGoal_IsMet(Bound bound, double goal, double measured)
    {
        var check = new Target("t", bound, goal, "x").Check(measured);
        Assert.True(check.Met);
        Assert.Equal("met", Format.Status(check));
    }

    [Fact]
    public void Unmeasured_IsNeitherMetNorMissed()
    {
        var check = new Target("t", Bound.AtLeast, 1.5, "x").Check(null);
        Assert.Null(check.Met);
        Assert.Null(check.PercentOff);
        Assert.Equal("n/a", Format.Status(check));
    }
}
