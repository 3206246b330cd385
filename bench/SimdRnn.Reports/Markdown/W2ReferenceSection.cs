// W2 at H 128 against the scalar reference.
using System.Text;
using SimdRnn.Reports.Analysis;

namespace SimdRnn.Reports.Markdown;

/// <summary>Writes the W2ReferenceBenchmarks table.</summary>
public static class W2ReferenceSection
{
    /// <summary>Appends the section to <paramref name="md"/>.</summary>
    public static void Write(StringBuilder md, IReadOnlyList<W2ReferenceRow> rows)
    {
        var table = new MarkdownTable("cell", "H", "reference (ms)", "fast float (ms)", "speed-up");
        foreach (var row in rows)
            table.Add(Cells.Name(row.Cell), row.H, Format.Milliseconds(row.ReferenceSeconds), Format.Milliseconds(row.FastSeconds), Format.Ratio(row.Speedup));
        md.Append(table).Append('\n').Append("One thread; the reference is the scalar double twin (SimdRnn.Reference).\n\n");
    }
}
