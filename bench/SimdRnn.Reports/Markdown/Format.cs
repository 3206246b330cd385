// How the summary writes figures: three significant digits (thousands separated), units in the
// column headers, and "n/a" for anything the run did not measure.
using System.Globalization;
using SimdRnn.Reports.Analysis;

namespace SimdRnn.Reports.Markdown;

/// <summary>Text for the summary's table cells.</summary>
public static class Format
{
    /// <summary>The text of a figure the run did not measure.</summary>
    public const string NotAvailable = "n/a";

    /// <summary>About three significant digits: "59,290", "195", "16.9", "7.76", "0.00904".</summary>
    public static string Significant(double? value) => value switch
    {
        null => NotAvailable,
        double v when Math.Abs(v) >= 1000 => Text(v, "#,0"),
        double v when Math.Abs(v) >= 100 => Text(v, "0"),
        double v when Math.Abs(v) >= 10 => Text(v, "0.0"),
        double v when Math.Abs(v) >= 1 || v == 0 => Text(v, "0.00"),
        double v => Text(v, "G3"),
    };

    /// <summary>Seconds as milliseconds, <see cref="Significant"/>.</summary>
    public static string Milliseconds(double? seconds) => Significant(seconds * 1e3);

    /// <summary>Seconds as microseconds, <see cref="Significant"/>.</summary>
    public static string Microseconds(double? seconds) => Significant(seconds * 1e6);

    /// <summary>GFLOP/s to one decimal.</summary>
    public static string Gflops(double? gflops) => Text(gflops, "0.0");

    /// <summary>A percentage to one decimal, with its sign: "87.3%".</summary>
    public static string Percent(double? percent) => Text(percent, "0.0") + (percent is null ? "" : "%");

    /// <summary>A ratio to two decimals: "1.89x".</summary>
    public static string Ratio(double? ratio) => Text(ratio, "0.00") + (ratio is null ? "" : "x");

    /// <summary>A whole count with thousands separators: "264,105".</summary>
    public static string Count(double? count) => Text(count, "#,0");

    /// <summary>Bytes in binary units as BenchmarkDotNet writes them: "0 B", "1.5 KB", "18.5 MB".</summary>
    public static string Bytes(double? bytes) => bytes switch
    {
        null => NotAvailable,
        < 1024 => Text(bytes, "0") + " B",
        < 1024 * 1024 => Text(bytes / 1024, "0.0") + " KB",
        _ => Text(bytes / (1024 * 1024), "0.0") + " MB",
    };

    /// <summary>A figure in a target's unit: "82.7 GFLOP/s", "3.84 ms", "87.3%", "1.52x".</summary>
    public static string Quantity(double? value, string unit) => unit switch
    {
        _ when value is null => NotAvailable,
        "%" => Percent(value),
        "x" => Ratio(value),
        _ => $"{Significant(value)} {unit}",
    };

    /// <summary>"≥ 100 GFLOP/s" or "≤ 1.5 ms".</summary>
    public static string Goal(Target target)
        => (target.Bound == Bound.AtLeast ? "≥ " : "≤ ") + Quantity(target.Goal, target.Unit);

    /// <summary>"met", "not met (17.3% off)", or "n/a" when not measured.</summary>
    public static string Status(TargetCheck check) => check.Met switch
    {
        true => "met",
        false => $"not met ({Text(check.PercentOff, "0.0")}% off)",
        null => NotAvailable,
    };

    private static string Text(double? value, string format)
        => value?.ToString(format, CultureInfo.InvariantCulture) ?? NotAvailable;
}
