// BenchmarkDotNet writes figures as text with units and, above 999, thousands separators:
// "59,290.5 μs", "19.4 MB", "264,105". It writes times with the Greek mu (U+03BC); the micro
// sign (U+00B5) and "us" are read as well, so hand-edited or re-exported files still parse.
// Sizes are binary, as BenchmarkDotNet prints them: 1 KB = 1024 B.
using System.Globalization;

namespace SimdRnn.Reports.Parsing;

/// <summary>Reads the figures of a BenchmarkDotNet CSV: times, sizes and plain numbers.</summary>
public static class Units
{
    private const NumberStyles Style = NumberStyles.Float | NumberStyles.AllowThousands;

    /// <summary>A time such as "7.755 ms", "10.352 μs", "950.1 ns" or "1.234 s", in seconds.</summary>
    /// <exception cref="FormatException">The number or the unit is not recognised.</exception>
    public static double Seconds(string text)
    {
        var (number, unit) = Split(text);
        double scale = unit switch
        {
            "ns" => 1e-9,
            "\u03BCs" or "\u00B5s" or "us" => 1e-6,
            "ms" => 1e-3,
            "s" => 1,
            _ => throw new FormatException($"'{text}' is not a time: unit '{unit}' is none of ns, μs, ms, s."),
        };
        return number * scale;
    }

    /// <summary>A size such as "0 B", "19405912 B", "1.5 KB" or "19.4 MB", in bytes; null for "-", "NA" or "".</summary>
    /// <exception cref="FormatException">The number or the unit is not recognised.</exception>
    public static double? Bytes(string text)
    {
        if (IsMissing(text))
            return null;
        var (number, unit) = Split(text);
        double scale = unit switch
        {
            "B" => 1,
            "KB" => 1024.0,
            "MB" => 1024.0 * 1024,
            "GB" => 1024.0 * 1024 * 1024,
            _ => throw new FormatException($"'{text}' is not a size: unit '{unit}' is none of B, KB, MB, GB."),
        };
        return number * scale;
    }

    /// <summary>A plain number such as "264,105" or "39.1"; null for "-", "NA" or "".</summary>
    /// <exception cref="FormatException">The text is not a number.</exception>
    public static double? Number(string text)
        => IsMissing(text) ? null : ParseNumber(text.Trim(), text);

    /// <summary>Whether a field holds no figure: empty, "-" or "NA" (BenchmarkDotNet's words for none).</summary>
    public static bool IsMissing(string text)
        => text.Trim() is "" or "-" or "NA";

    private static (double Number, string Unit) Split(string text)
    {
        string trimmed = text.Trim();
        int unitStart = trimmed.Length;
        while (unitStart > 0 && char.IsLetter(trimmed[unitStart - 1]))
            unitStart--;
        return (ParseNumber(trimmed[..unitStart].TrimEnd(), text), trimmed[unitStart..]);
    }

    private static double ParseNumber(string number, string text)
        => double.TryParse(number, Style, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new FormatException($"'{text}' does not start with a number.");
}
