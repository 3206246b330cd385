// All targets of the run in one table, so a reader sees at once what is met.
using System.Text;
using SimdRnn.Reports.Analysis;

namespace SimdRnn.Reports.Markdown;

/// <summary>Writes the table of every target check.</summary>
public static class TargetsSection
{
    /// <summary>Appends the section to <paramref name="md"/>.</summary>
    public static void Write(StringBuilder md, IEnumerable<TargetCheck> checks)
    {
        md.Append("## Targets\n\n");
        var table = new MarkdownTable("target", "goal", "measured", "status");
        int count = 0;
        foreach (var check in checks)
        {
            table.Add(check.Target.Description, Format.Goal(check.Target), Format.Quantity(check.Measured, check.Target.Unit), Format.Status(check));
            count++;
        }
        md.Append(count > 0 ? table.ToString() : "No targeted benchmark (K1 GEMM, W1, W2, W3) is in this run.\n").Append('\n');
    }
}
