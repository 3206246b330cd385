using SimdRnn.Reports.Parsing;
using Xunit;

namespace SimdRnn.Tests.Reports;

public class UnitsTests
{
    [Theory]
    [InlineData("7.755 ms", 7.755e-3)]
    [InlineData("10.352 \u03BCs", 10.352e-6)] // Greek mu, as BenchmarkDotNet writes it
    [InlineData("10.352 \u00B5s", 10.352e-6)] // micro sign
    [InlineData("10.352 us", 10.352e-6)]
    [InlineData("59,290.5 μs", 0.0592905)]
    [InlineData("1,038.900 ms", 1.0389)]
    [InlineData("1.234 s", 1.234)]
    [InlineData("950.1 ns", 950.1e-9)]
    [InlineData("  3.502 ms ", 3.502e-3)]
    public void Seconds_ReadsEveryUnitAndThousandsSeparators(string text, double seconds)
        => Assert.Equal(seconds, Units.Seconds(text), 1e-12);

    [Theory]
    [InlineData("7.755 min")]
    [InlineData("7.755")]
    [InlineData("fast ms")]
    [InlineData("NA")]
    public void Seconds_RejectsWhatIsNotATime(string text)
        => Assert.Throws<FormatException>(() => Units.Seconds(text));

    [Theory]
    [InlineData("0 B", 0.0)]
    [InlineData("19405912 B", 19405912.0)]
    [InlineData("1.5 KB", 1536.0)]
    [InlineData("19.4 MB", 19.4 * 1024 * 1024)]
    [InlineData("2 GB", 2.0 * 1024 * 1024 * 1024)]
    public void Bytes_ReadsBinaryUnits(string text, double bytes)
        => Assert.Equal(bytes, Units.Bytes(text)!.Value, 1e-6);

    [Theory]
    [InlineData("-")]
    [InlineData("NA")]
    [InlineData("")]
    public void Bytes_IsNullWhereTheCsvHasNone(string text)
        => Assert.Null(Units.Bytes(text));

    [Fact]
    public void Bytes_RejectsAnUnknownUnit()
        => Assert.Throws<FormatException>(() => Units.Bytes("3 KiB"));

    [Theory]
    [InlineData("264,105", 264105.0)]
    [InlineData("39.1", 39.1)]
    [InlineData("1,234,567.5", 1234567.5)]
    [InlineData("0.0000", 0.0)]
    public void Number_ReadsThousandsSeparatorsWithTheInvariantCulture(string text, double value)
        => Assert.Equal(value, Units.Number(text)!.Value, 1e-9);

    [Fact]
    public void Number_IsNullForNaAndRejectsText()
    {
        Assert.Null(Units.Number("NA"));
        Assert.Throws<FormatException>(() => Units.Number("baseline"));
    }
}
