// A GitHub-flavoured markdown table: the first column (names) left-aligned, the figures right.
using System.Text;

namespace SimdRnn.Reports.Markdown;

/// <summary>A markdown table built row by row.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Adds a row of exactly as many cells as there are headers.</summary>
    /// <exception cref="ArgumentException">The number of cells differs from the number of headers.</exception>
    public MarkdownTable Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"A row has {cells.Length} cells; the table has {headers.Length} columns.", nameof(cells));
        _rows.Add(cells);
        return this;
    }

    /// <summary>The table's markdown, one line per row, ending with a line break.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        Line(text, headers);
        Line(text, headers.Select((_, i) => i == 0 ? "---" : "---:"));
        foreach (string[] row in _rows)
            Line(text, row);
        return text.ToString();
    }

    private static void Line(StringBuilder text, IEnumerable<string> cells)
        => text.Append("| ").AppendJoin(" | ", cells.Select(c => c.Replace("|", "\\|"))).Append(" |\n");
}
