using System.Globalization;
using System.Text.RegularExpressions;
using SimdRnn.Cli;
using Xunit;

namespace SimdRnn.Tests.Cli;

public class TrainCommandTests
{
    [Fact]
    public void Train_OnTheBuiltInCorpus_PrintsAFallingLossAndSentences()
    {
        var output = new StringWriter();
        int code = TrainCommand.Run(["--sentences", "300", "--epochs", "4", "--hidden", "24", "--samples", "3"], output, CancellationToken.None);
        string text = output.ToString();

        Assert.Equal(0, code);
        var losses = Regex.Matches(text, @"^epoch.*loss\s+([0-9.]+)", RegexOptions.Multiline).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(4, losses.Count);
        Assert.True(losses[^1] < losses[0], text);
        Assert.Contains("tokens/s", text);
        Assert.Equal(3, Regex.Matches(text, "  > ").Count);
        Assert.Contains("final loss", text);
    }

    [Theory]
    [InlineData("--hidden", "0")]
    [InlineData("--lr", "-1")]
    [InlineData("--epochs", "many")]
    [InlineData("--bogus", "1")]
    [InlineData("--hidden")]
    public void Train_BadArguments_ExitWith2AndSayWhy(params string[] args)
    {
        var output = new StringWriter();
        int code = TrainCommand.Run(args, output, CancellationToken.None);
        Assert.Equal(2, code);
        Assert.Contains(args[0], output.ToString());
        Assert.Contains("usage", output.ToString());
    }

    [Fact]
    public void GrammarCorpus_IsDeterministicBySeed_AndInTheVocabulary()
    {
        var a = GrammarCorpus.Sentences(50, 3);
        var b = GrammarCorpus.Sentences(50, 3);
        var c = GrammarCorpus.Sentences(50, 4);
        Assert.Equal(a.Select(s => string.Join(' ', s)), b.Select(s => string.Join(' ', s)));
        Assert.NotEqual(a.Select(s => string.Join(' ', s)), c.Select(s => string.Join(' ', s)));
        var vocabulary = new Vocabulary(GrammarCorpus.Words);
        var (x, y) = vocabulary.TrainingPair(a[0]);
        Assert.Equal(0, x[0]);
        Assert.Equal(1, y[^1]);
        Assert.Equal(x[1..], y[..^1]);
    }
}
