using SimdRnn.Reports.Parsing;
using Xunit;

namespace SimdRnn.Tests.Reports;

public class BenchmarkCsvTests
{
    private const string W2Header =
        "Method,Job,AnalyzeLaunchVariance,UnrollFactor,WarmupCount,Cell,H,Threads,Mean,Error,StdDev,Tokens/s,GFLOP/s,Allocated\n";

    [Fact]
    public void Parse_TakesTheColumnsBetweenWarmupCountAndMeanAsParameters()
    {
        var rows = BenchmarkCsv.Parse(W2Header +
            "FastFloat,Workload,False,16,3,RnnTanh,128,1,7.755 ms,1.0901 ms,1.2554 ms,\"264,105\",39.1,0 B\n" +
            "FastFloat,Workload,False,16,3,Gru,512,2,\"1,038.900 ms\",72.3733 ms,83.3452 ms,\"1,971\",0.9,19405912 B\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal(["Cell", "H", "Threads"], rows[0].Parameters.Keys.Order());
        Assert.Equal("RnnTanh", rows[0].Parameters["Cell"]);
        Assert.Equal("Workload", rows[0].Job);
        Assert.Equal(7.755e-3, rows[0].MeanSeconds, 1e-12);
        Assert.Equal(0, rows[0].AllocatedBytes);
        Assert.Equal("264,105", rows[0].Columns["Tokens/s"]);
        Assert.True(rows[1].Is("FastFloat", ("Cell", "Gru"), ("H", "512"), ("Threads", "2")));
        Assert.False(rows[1].Is("FastFloat", ("Cell", "Gru"), ("H", "128")));
        Assert.Equal(1.0389, rows[1].MeanSeconds, 1e-12);
        Assert.Equal(19405912, rows[1].AllocatedBytes);
    }

    [Fact]
    public void Parse_LeavesOutCasesWhoseMeanIsNa()
    {
        var rows = BenchmarkCsv.Parse(W2Header +
            "FastFloat,Workload,False,16,3,Lstm,128,1,NA,NA,NA,NA,NA,-\n" +
            "FastFloat,Workload,False,16,3,Lstm,128,2,18.192 ms,1.6 ms,1.8 ms,\"112,578\",49.9,-\n");

        var row = Assert.Single(rows);
        Assert.Equal("2", row.Parameters["Threads"]);
        Assert.Null(row.AllocatedBytes);
    }

    [Fact]
    public void Parse_RejectsAHeaderWithoutWarmupCount()
        => Assert.Throws<FormatException>(() => BenchmarkCsv.Parse("Method,Cell,Mean\nFastFloat,Gru,1 ms\n"));

    [Fact]
    public void Parse_RejectsARowOfTheWrongWidth()
        => Assert.Throws<FormatException>(() => BenchmarkCsv.Parse("Method,WarmupCount,K,Mean\nFastFloat,3,4\n"));
}
