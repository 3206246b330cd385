using SimdRnn.Reports.Analysis;
using SimdRnn.Reports.Parsing;
using Xunit;

namespace SimdRnn.Tests.Reports;

public class FmaPeakTests
{
    private const string PeakCsv =
        "Method,Job,WarmupCount,Threads,Mean,Error,GFLOP/s,Allocated\n" +
        "Fma,Dry,1,1,3.502 ms,NA,57.5,0 B\n" +
        "Fma,Dry,1,2,4.434 ms,NA,90.8,0 B\n";

    [Fact]
    public void PercentOf_DividesByThePeakOfTheSameThreadCount()
    {
        var peak = FmaPeak.From(BenchmarkCsv.Parse(PeakCsv));

        Assert.True(peak.IsKnown);
        Assert.Equal(80.0, peak.PercentOf(46, 1)!.Value, 1e-9);   // 46 / 57.5
        Assert.Equal(50.0, peak.PercentOf(45.4, 2)!.Value, 1e-9); // 45.4 / 90.8
        Assert.Null(peak.PercentOf(46, 4));
        Assert.Null(peak.PercentOf(null, 1));
    }

    [Fact]
    public void WithoutThePeakCsv_EveryPercentIsUnknown()
    {
        var peak = FmaPeak.From(null);
        Assert.False(peak.IsKnown);
        Assert.Null(peak.PercentOf(46, 1));
    }
}
