using SimdRnn.Reports.Parsing;
using Xunit;

namespace SimdRnn.Tests.Reports;

public class CsvTests
{
    [Fact]
    public void Parse_KeepsCommasInsideQuotesAndSplitsOutside()
    {
        var records = Csv.Parse("Method,Mean,Tokens/s\nFastFloat,\"59,290.5 μs\",\"264,105\"\n");
        Assert.Equal(2, records.Count);
        Assert.Equal(["Method", "Mean", "Tokens/s"], records[0]);
        Assert.Equal(["FastFloat", "59,290.5 μs", "264,105"], records[1]);
    }

    [Fact]
    public void Parse_UndoublesQuotesAndKeepsLineBreaksInsideQuotes()
    {
        var records = Csv.Parse("a,b\r\n\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n");
        Assert.Equal(2, records.Count);
        Assert.Equal("say \"hi\"", records[1][0]);
        Assert.Equal("two\r\nlines", records[1][1]);
    }

    [Fact]
    public void Parse_KeepsEmptyFieldsAndSkipsBlankLines()
    {
        var records = Csv.Parse("a,,c,\n\n1,2,,\n");
        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "", "c", ""], records[0]);
        Assert.Equal(["1", "2", "", ""], records[1]);
    }

    [Fact]
    public void Parse_ReadsALastRecordWithoutLineBreak()
        => Assert.Equal(["x", "y"], Csv.Parse("h1,h2\nx,y")[1]);

    [Fact]
    public void Parse_RejectsAnUnclosedQuote()
        => Assert.Throws<FormatException>(() => Csv.Parse("a,\"b\n"));
}
