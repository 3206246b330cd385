// summary.md: the targets first, then one section per benchmark class in the order of
// BenchmarkResults.Classes. A class whose CSV is absent keeps its heading and says it was skipped.
using System.Text;
using SimdRnn.Reports.Analysis;
using SimdRnn.Reports.Parsing;

namespace SimdRnn.Reports.Markdown;

/// <summary>Writes the markdown summary of a <see cref="Report"/>.</summary>
public static class SummaryWriter
{
    /// <summary>The summary's markdown; <paramref name="source"/> names the results folder it was read from.</summary>
    public static string Write(Report report, string source)
    {
        var md = new StringBuilder();
        md.Append("# SimdRnn benchmark summary\n\n")
          .Append("Computed from the BenchmarkDotNet CSVs in `").Append(source).Append("`: every time is the CSV's Mean, ")
          .Append("and every rate, share of peak, speed-up and fit is computed from it here.\n\n");
        if (report.Results.DryClasses is { Count: > 0 } dry)
            md.Append("**Dry job** (one cold iteration, so not measurements): ").AppendJoin(", ", dry).Append(".\n\n");
        var missing = BenchmarkResults.Classes.Where(c => report.Results.Rows(c) is null).ToList();
        if (missing.Count > 0)
            md.Append("Missing CSVs (sections skipped): ").AppendJoin(", ", missing).Append(".\n\n");

        TargetsSection.Write(md, report.Checks);
        PeakSection.Write(md, report.Peak);
        Section(md, "K1: GEMM on 1 and 2 threads", "GemmThreadsBenchmarks", report.GemmThreads, GemmThreadsSection.Write);
        Section(md, "GEMM shapes of W1, packed against the scalar loop", "GemmBenchmarks", report.Gemm, GemmSection.Write);
        Section(md, "W1: the seed's SGD step", "W1Benchmarks", report.W1, W1Section.Write);
        Section(md, "W2: char model SGD step", "W2Benchmarks", report.W2, W2Section.Write);
        Section(md, "W2 against the scalar reference", "W2ReferenceBenchmarks", report.W2Reference, W2ReferenceSection.Write);
        Section(md, "W3: generation, one token", "W3Benchmarks", report.W3, W3Section.Write);
        Section(md, "Scaling of the W2 LSTM step in T, B and H", "ScalingBenchmarks", report.Scaling, (text, sweeps) =>
        {
            foreach (var sweep in sweeps)
                SweepSection.Write(text, sweep);
        });
        Section(md, "Truncation K of the W1 step", "TruncationBenchmarks", report.Truncation, SweepSection.Write);

        md.Append("## Percent of peak\n\n");
        md.Append(PeakShares.Collect(report).Count > 0
            ? $"Chart: {PeakShares.ChartFile} (every figure above with a % of peak).\n"
            : $"% of peak: n/a; {PeakShares.ChartFile} is not drawn.\n");
        return md.ToString();
    }

    private static void Section<T>(StringBuilder md, string title, string benchmarkClass, T? analysis, Action<StringBuilder, T> write)
        where T : class
    {
        md.Append("## ").Append(title).Append(" (").Append(benchmarkClass).Append(")\n\n");
        if (analysis is null)
            md.Append("Skipped: no ").Append(BenchmarkResults.FileName(benchmarkClass)).Append(" in the results folder.\n\n");
        else
            write(md, analysis);
    }
}
