// One row of a BenchmarkDotNet CSV: a benchmark method at one set of parameter values.
namespace SimdRnn.Reports.Parsing;

/// <summary>One benchmark case of a BenchmarkDotNet CSV and its measured mean.</summary>
/// <param name="Method">The benchmark method, e.g. "FastFloat".</param>
/// <param name="Job">The job that ran it, e.g. "Workload" or "Dry".</param>
/// <param name="Parameters">The case's parameter values by column name, as written (e.g. "H" → "512").</param>
/// <param name="MeanSeconds">The mean time of one operation, in seconds.</param>
/// <param name="AllocatedBytes">Bytes allocated per operation; null where the CSV has none.</param>
/// <param name="Columns">Every field of the row by column name, as written.</param>
public sealed record BenchmarkRow(
    string Method,
    string Job,
    IReadOnlyDictionary<string, string> Parameters,
    double MeanSeconds,
    double? AllocatedBytes,
    IReadOnlyDictionary<string, string> Columns)
{
    /// <summary>Whether the row is <paramref name="method"/> with every given parameter at the given value.</summary>
    public bool Is(string method, params (string Name, string Value)[] parameters)
        => Method == method
           && parameters.All(p => Parameters.TryGetValue(p.Name, out string? value) && value == p.Value);
}
