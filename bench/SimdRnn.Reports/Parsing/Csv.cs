// Comma-separated values as RFC 4180 writes them, which is what BenchmarkDotNet's CSV exporter
// emits: a field that holds a comma (a number with thousands separators), a quote or a line
// break is wrapped in double quotes, and a quote inside it is doubled.
using System.Text;

namespace SimdRnn.Reports.Parsing;

/// <summary>Splits CSV text into records of fields (RFC 4180 quoting).</summary>
public static class Csv
{
    /// <summary>
    /// The records of <paramref name="text"/>, each an array of unquoted fields. Records end at
    /// LF, CR LF or CR outside quotes; blank lines are skipped.
    /// </summary>
    /// <exception cref="FormatException">A quoted field is not closed.</exception>
    public static IReadOnlyList<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        bool inQuotes = false, recordStarted = false;

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (inQuotes)
            {
                if (c != '"')
                    field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"')
                    field.Append(text[++i]);
                else
                    inQuotes = false;
                continue;
            }
            switch (c)
            {
                case '"':
                    inQuotes = recordStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    recordStarted = true;
                    break;
                case '\r' or '\n':
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                        i++;
                    EndRecord();
                    break;
                default:
                    field.Append(c);
                    recordStarted = true;
                    break;
            }
        }
        if (inQuotes)
            throw new FormatException("The CSV text ends inside a quoted field.");
        EndRecord();
        return records;

        void EndRecord()
        {
            if (recordStarted)
            {
                fields.Add(field.ToString());
                records.Add([.. fields]);
            }
            fields.Clear();
            field.Clear();
            recordStarted = false;
        }
    }
}
