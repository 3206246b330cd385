// Turns one BenchmarkDotNet run into summary.md and PNG charts:
//   dotnet run -c Release --project bench/SimdRnn.Reports -- <results-dir> <output-dir>
// The results folder holds the SimdRnn.Benchmarks.<Class>-report.csv files; any may be missing.
using SimdRnn.Reports.Analysis;
using SimdRnn.Reports.Charts;
using SimdRnn.Reports.Markdown;
using SimdRnn.Reports.Parsing;

namespace SimdRnn.Reports;

/// <summary>The report tool's entry point.</summary>
public static class Program
{
    /// <summary>Reads the CSVs of args[0], writes summary.md and the charts into args[1]; returns 0, or 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        if (args.Length != 2 || !Directory.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: SimdRnn.Reports <results-dir> <output-dir>");
            Console.Error.WriteLine("  <results-dir> holds BenchmarkDotNet's SimdRnn.Benchmarks.<Class>-report.csv files.");
            return 2;
        }
        string output = Directory.CreateDirectory(args[1]).FullName;
        var report = Report.From(BenchmarkResults.Load(args[0]));

        Write(Path.Combine(output, "summary.md"), path => File.WriteAllText(path, SummaryWriter.Write(report, args[0])));
        var shares = PeakShares.Collect(report);
        if (shares.Count > 0)
            Write(Path.Combine(output, PeakShares.ChartFile), path => PercentOfPeakChart.Save(shares, path));
        var sweeps = (report.Scaling ?? []).Append(report.Truncation).OfType<Sweep>();
        foreach (var sweep in sweeps.Where(s => s.Points.Count > 0))
            Write(Path.Combine(output, sweep.ChartFile), path => SweepChart.Save(sweep, path));
        return 0;
    }

    private static void Write(string path, Action<string> write)
    {
        write(path);
        Console.WriteLine($"wrote {path}");
    }
}
