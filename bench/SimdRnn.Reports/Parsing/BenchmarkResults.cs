// The CSVs of one BenchmarkDotNet run, by benchmark class. Any of them may be absent: the
// report then skips that class's section and says so.
namespace SimdRnn.Reports.Parsing;

/// <summary>The rows of each benchmark class's CSV found in a results folder.</summary>
public sealed class BenchmarkResults(IReadOnlyDictionary<string, IReadOnlyList<BenchmarkRow>> rowsByClass)
{
    /// <summary>The benchmark classes the report reads, in the order of its sections.</summary>
    public static readonly IReadOnlyList<string> Classes =
    [
        "FmaPeakBenchmarks", "GemmThreadsBenchmarks", "GemmBenchmarks", "W1Benchmarks", "W2Benchmarks",
        "W2ReferenceBenchmarks", "W3Benchmarks", "ScalingBenchmarks", "TruncationBenchmarks",
    ];

    /// <summary>The file BenchmarkDotNet writes for <paramref name="benchmarkClass"/>.</summary>
    public static string FileName(string benchmarkClass) => $"SimdRnn.Benchmarks.{benchmarkClass}-report.csv";

    /// <summary>Reads the CSV of every class in <see cref="Classes"/> that <paramref name="folder"/> holds.</summary>
    public static BenchmarkResults Load(string folder)
    {
        var rowsByClass = new Dictionary<string, IReadOnlyList<BenchmarkRow>>();
        foreach (string benchmarkClass in Classes)
        {
            string path = Path.Combine(folder, FileName(benchmarkClass));
            if (File.Exists(path))
                rowsByClass[benchmarkClass] = BenchmarkCsv.Parse(File.ReadAllText(path));
        }
        return new BenchmarkResults(rowsByClass);
    }

    /// <summary>The rows of <paramref name="benchmarkClass"/>; null where its CSV is absent.</summary>
    public IReadOnlyList<BenchmarkRow>? Rows(string benchmarkClass)
        => rowsByClass.TryGetValue(benchmarkClass, out var rows) ? rows : null;

    /// <summary>The classes, in <see cref="Classes"/> order, with rows from BenchmarkDotNet's Dry job (one cold iteration, not a measurement).</summary>
    public IReadOnlyList<string> DryClasses
        => Classes.Where(c => Rows(c)?.Any(r => r.Job == "Dry") == true).ToList();
}
