using SimdRnn.Reports.Analysis;
using SimdRnn.Reports.Markdown;
using SimdRnn.Reports.Parsing;
using Xunit;

namespace SimdRnn.Tests.Reports;

public class ReportTests
{
    private const string Jobs = "Method,Job,AnalyzeLaunchVariance,WarmupCount";

    // Rows of a real run (perf-reports/epyc-zen3-avx2); the last two columns are BenchmarkDotNet's
    // own rates, computed from its unrounded mean.
    private const string W2Csv = Jobs + ",Cell,H,Threads,Mean,Error,StdDev,Tokens/s,GFLOP/s,Allocated\n" +
        "FastFloat,Workload,False,3,RnnTanh,128,1,7.755 ms,1.0901 ms,1.2554 ms,\"264,105\",39.1,0 B\n" +
        "FastFloat,Workload,False,3,Gru,512,2,123.476 ms,10.3839 ms,10.6635 ms,\"16,586\",81.6,0 B\n" +
        "FastFloat,Workload,False,3,Lstm,512,1,240.973 ms,9.6848 ms,10.7646 ms,\"8,499\",55.2,0 B\n";

    [Fact]
    public void W2_RatesFromTheMean_AgreeWithBenchmarkDotNetsColumns()
    {
        var rows = BenchmarkCsv.Parse(W2Csv);
        var w2 = W2Analysis.Analyse(rows, FmaPeak.From(null));

        foreach (var row in rows)
        {
            int threads = int.Parse(row.Parameters["Threads"]);
            var analysed = w2.Rows.Single(r => r.Cell == row.Parameters["Cell"] && r.H.ToString() == row.Parameters["H"]);
            double? gflops = threads == 1 ? analysed.Gflops1 : analysed.Gflops2;
            double? tokens = threads == 1 ? analysed.TokensPerSecond1 : analysed.TokensPerSecond2;
            Assert.Equal(Units.Number(row.Columns["GFLOP/s"])!.Value, gflops!.Value, 0.06);
            // The CSV's mean has four significant digits, so the rates agree to about 1e-4.
            Assert.Equal(Units.Number(row.Columns["Tokens/s"])!.Value, tokens!.Value, 1e-4 * tokens.Value);
        }
    }

    [Fact]
    public void GemmThreads_GflopsIsTwoMnkOverTheMean_AndTheTargetFailsBelowIt()
    {
        var rows = BenchmarkCsv.Parse(Jobs + ",Shape,Threads,Mean,Error,StdDev,GFLOP/s,Allocated\n" +
            "Packed,Workload,False,3,512x512x512 NN,1,\"3,446.2 μs\",112.89 μs,67.18 μs,77.9,0 B\n" +
            "Packed,Workload,False,3,512x512x512 NN,2,\"2,245.5 μs\",342.17 μs,226.32 μs,119.5,0 B\n");

        var row = Assert.Single(GemmThreadsAnalysis.Rows(rows, FmaPeak.From(null)));

        Assert.Equal(77.9, row.Gflops1!.Value, 0.05);
        Assert.Equal(119.5, row.Gflops2!.Value, 0.05);
        Assert.Equal(3446.2 / 2245.5, row.Speedup!.Value, 1e-9);
        Assert.Null(row.PercentOfPeak1);
        Assert.All(row.Checks, c => Assert.False(c.Met)); // 77.9 < 100 GFLOP/s and 1.53x < 1.8x
    }

    [Fact]
    public void W1_KFourSlowerThanFull_FailsItsTarget()
    {
        var rows = BenchmarkCsv.Parse(Jobs + ",K,Mean,Error,StdDev,Allocated\n" +
            "FastFloat,Workload,False,3,4,4.000 ms,0.1 ms,0.1 ms,0 B\n" +
            "FastFloat,Workload,False,3,full,1.200 ms,0.1 ms,0.1 ms,0 B\n");

        var checks = W1Analysis.Analyse(rows, FmaPeak.From(null)).Checks;

        var four = checks.Single(c => c.Target.Description.Contains("K 4"));
        var full = checks.Single(c => !c.Target.Description.Contains("K 4"));
        Assert.True(full.Met);      // 1.2 ms ≤ 1.5 ms
        Assert.False(four.Met);     // 4 ms is 3.33x the full step
        Assert.Equal(100 * (4.0 / 1.2 - 1), four.PercentOff!.Value, 1e-9);
    }

    [Fact]
    public void Scaling_TheBasePointJoinsTheBAndHSweeps_AndHIsFittedAgainstHSquared()
    {
        var rows = BenchmarkCsv.Parse(Jobs + ",Point,Mean,Error,Allocated\n" +
            "LstmStep,Dry,False,1,H=256,245.33 ms,NA,0 B\n" +
            "LstmStep,Dry,False,1,T=64,148.07 ms,NA,0 B\n" +
            "LstmStep,Dry,False,1,B=8,92.23 ms,NA,0 B\n" +
            "LstmStep,Dry,False,1,T=16,91.49 ms,NA,0 B\n");

        var sweeps = ScalingAnalysis.Sweeps(rows).ToDictionary(s => s.Axis);

        Assert.Equal([16.0, 64.0], sweeps["T"].Points.Select(p => p.Value));
        Assert.Equal([8.0, 32.0], sweeps["B"].Points.Select(p => p.Value));
        Assert.Equal([128.0 * 128, 256.0 * 256], sweeps["H"].Points.Select(p => p.X));
        Assert.Equal(0.14807, sweeps["H"].Points[0].Seconds, 1e-12);
        // Two points: the line passes through both.
        Assert.Equal(1.0, sweeps["H"].Fit!.RSquared, 1e-12);
        Assert.Equal(245.33, sweeps["H"].Fit!.At(65536), 1e-9);
    }

    [Fact]
    public void Summary_WithoutThePeak_SaysPercentOfPeakIsNaAndSkipsMissingSections()
    {
        string folder = Directory.CreateTempSubdirectory("simdrnn-report-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, BenchmarkResults.FileName("W3Benchmarks")),
                Jobs + ",Cell,Mean,Error,StdDev,Allocated\n" +
                "FastFloat,Workload,False,3,Lstm,123.93 μs,3.101 μs,1.845 μs,0 B\n" +
                "FastFloat,Workload,False,3,RnnTanh,25.00 μs,3.101 μs,1.845 μs,0 B\n");

            var report = Report.From(BenchmarkResults.Load(folder));
            string summary = SummaryWriter.Write(report, folder);

            Assert.Contains("% of peak: n/a", summary);
            Assert.Contains("Skipped: no SimdRnn.Benchmarks.W1Benchmarks-report.csv", summary);
            Assert.Contains("| W3 LSTM float token | ≤ 120 µs | 124 µs | not met (3.3% off) |", summary);
            Assert.Contains("| W3 tanh RNN float token | ≤ 30.0 µs | 25.0 µs | met |", summary);
            Assert.Empty(PeakShares.Collect(report));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
