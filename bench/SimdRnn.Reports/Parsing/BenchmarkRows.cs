// Lookups over the rows of one CSV: a case by method and parameter values, and the values a
// parameter takes, in the order the CSV lists them.
namespace SimdRnn.Reports.Parsing;

/// <summary>Queries over the rows of one benchmark class.</summary>
public static class BenchmarkRows
{
    /// <summary>The mean seconds of <paramref name="method"/> at the given parameter values; null if no row matches.</summary>
    public static double? Mean(this IEnumerable<BenchmarkRow> rows, string method, params (string Name, string Value)[] parameters)
        => rows.Find(method, parameters)?.MeanSeconds;

    /// <summary>The first row of <paramref name="method"/> at the given parameter values; null if none.</summary>
    public static BenchmarkRow? Find(this IEnumerable<BenchmarkRow> rows, string method, params (string Name, string Value)[] parameters)
        => rows.FirstOrDefault(r => r.Is(method, parameters));

    /// <summary>The distinct values of <paramref name="parameter"/> among the rows of <paramref name="method"/>, in CSV order.</summary>
    public static IReadOnlyList<string> Values(this IEnumerable<BenchmarkRow> rows, string method, string parameter)
        => rows.Where(r => r.Method == method)
               .Select(r => r.Parameters.GetValueOrDefault(parameter))
               .OfType<string>()
               .Distinct()
               .ToList();
}
