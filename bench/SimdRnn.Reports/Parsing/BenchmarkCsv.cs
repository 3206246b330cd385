// A BenchmarkDotNet "-report.csv": Method, the job's settings up to WarmupCount, then the
// benchmark's parameters, then Mean and the statistics and custom columns. The parameters are
// therefore exactly the columns between WarmupCount and Mean, whatever the class.
namespace SimdRnn.Reports.Parsing;

/// <summary>Reads the rows of a BenchmarkDotNet CSV report.</summary>
public static class BenchmarkCsv
{
    /// <summary>
    /// The rows of <paramref name="text"/>. A row whose Mean is "NA" (a case that failed) is
    /// left out, so a lookup for it finds nothing and its figures read n/a.
    /// </summary>
    /// <exception cref="FormatException">The header lacks Method, WarmupCount or Mean, or a figure does not parse.</exception>
    public static IReadOnlyList<BenchmarkRow> Parse(string text)
    {
        var records = Csv.Parse(text);
        if (records.Count == 0)
            return [];
        string[] header = records[0];
        int method = Column(header, "Method");
        int warmup = Column(header, "WarmupCount");
        int mean = Column(header, "Mean");
        int job = Array.IndexOf(header, "Job");
        int allocated = Array.IndexOf(header, "Allocated");

        var rows = new List<BenchmarkRow>();
        foreach (string[] record in records.Skip(1))
        {
            if (record.Length != header.Length)
                throw new FormatException($"A row has {record.Length} fields; the header has {header.Length}.");
            if (Units.IsMissing(record[mean]))
                continue;
            var parameters = new Dictionary<string, string>();
            for (int i = warmup + 1; i < mean; i++)
                parameters[header[i]] = record[i];
            var columns = new Dictionary<string, string>();
            for (int i = 0; i < header.Length; i++)
                columns[header[i]] = record[i];
            rows.Add(new BenchmarkRow(
                record[method],
                job >= 0 ? record[job] : "",
                parameters,
                Units.Seconds(record[mean]),
                allocated >= 0 ? Units.Bytes(record[allocated]) : null,
                columns));
        }
        return rows;
    }

    private static int Column(string[] header, string name)
    {
        int index = Array.IndexOf(header, name);
        return index >= 0 ? index : throw new FormatException($"The CSV header has no '{name}' column.");
    }
}
