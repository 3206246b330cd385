// W2 at H 128 against its scalar double twin (SimdRnn.Reference), one thread.
using SimdRnn.Reports.Parsing;

namespace SimdRnn.Reports.Analysis;

/// <summary>One cell of W2ReferenceBenchmarks.</summary>
/// <param name="Cell">RnnTanh, Gru or Lstm.</param>
/// <param name="H">The hidden size, as the CSV writes it.</param>
/// <param name="ReferenceSeconds">The scalar reference step.</param>
/// <param name="FastSeconds">The fast float step.</param>
/// <param name="Speedup">Reference time over fast time.</param>
public sealed record W2ReferenceRow(string Cell, string H, double? ReferenceSeconds, double? FastSeconds, double? Speedup);

/// <summary>Speed-ups of W2ReferenceBenchmarks.</summary>
public static class W2ReferenceAnalysis
{
    /// <summary>One row per (cell, H) of the FastFloat rows, cells in <see cref="Cells.Rank"/> order.</summary>
    public static IReadOnlyList<W2ReferenceRow> Rows(IReadOnlyList<BenchmarkRow> rows)
        => (from cell in rows.Values("FastFloat", "Cell")
            from h in rows.Values("FastFloat", "H")
            let fast = rows.Mean("FastFloat", ("Cell", cell), ("H", h))
            where fast is not null
            let reference = rows.Mean("Reference", ("Cell", cell), ("H", h))
            orderby Cells.Rank(cell)
            select new W2ReferenceRow(cell, h, reference, fast, Rates.Speedup(reference, fast))).ToList();
}
