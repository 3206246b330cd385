using SimdRnn.Models;
using SimdRnn.Tests.Support;
using Xunit;

namespace SimdRnn.Tests.Models;

/// <summary>Bad input fails at the public boundary with an exception that names the problem,
/// and changes nothing.</summary>
public class BadInputTests
{
    [Theory]
    [InlineData(0, 5, 4, "vocabularySize")]
    [InlineData(-3, 5, 4, "vocabularySize")]
    [InlineData(10, 0, 4, "hiddenSize")]
    [InlineData(10, 5, -1, "bpttTruncate")]
    public void Constructor_BadSize_ThrowsNamingTheArgument(int c, int h, int k, string argument)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RnnLanguageModel<float>(c, h, k));
        Assert.Equal(argument, e.ParamName);
    }

    [Fact]
    public void Model_OfHalf_IsRefused()
        => Assert.Throws<NotSupportedException>(() => new RnnLanguageModel<Half>(4, 4));

    [Fact]
    public void SgdStep_TokenOutOfRange_ThrowsAndChangesNothing()
    {
        using var model = new RnnLanguageModel<float>(10, 4, seed: 1);
        var before = Snapshot(model);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.SgdStep([1, 2, 3], [2, 3, 10], 0.1f));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("10", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.SgdStep([1, -1, 3], [2, 3, 4], 0.1f));
        Assert.Equal(before, Snapshot(model));
    }

    [Fact]
    public void EmptySentence_AndLengthMismatch_Throw()
    {
        using var model = new RnnLanguageModel<double>(10, 4);
        var empty = Assert.Throws<ArgumentException>(() => model.Bptt([], []));
        Assert.Equal("x", empty.ParamName);
        var mismatch = Assert.Throws<ArgumentException>(() => model.TotalLoss([1, 2, 3], [2, 3]));
        Assert.Equal("y", mismatch.ParamName);
        Assert.Contains("2", mismatch.Message);
        Assert.Throws<ArgumentException>(() => model.ForwardPropagation([1, 2], new double[19], new double[8]));
        Assert.Throws<ArgumentException>(() => model.Predict([1, 2], new int[3]));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void SgdStep_BadLearningRate_ThrowsAndChangesNothing(float learningRate)
    {
        using var model = new RnnLanguageModel<float>(10, 4, seed: 1);
        var before = Snapshot(model);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.SgdStep([1, 2], [2, 3], learningRate));
        Assert.Equal("learningRate", e.ParamName);
        Assert.Equal(before, Snapshot(model));
    }

    [Fact]
    public void SgdStep_NonFiniteLoss_ThrowsAndKeepsTheWeights()
    {
        using var model = new RnnLanguageModel<float>(10, 4, seed: 1);
        model.Weights[RnnParameter.V, 3, 0] = float.NaN;
        var before = Snapshot(model);
        Assert.Throws<NonFiniteLossException>(() => model.SgdStep([1, 2], [3, 4], 0.1f));
        Assert.Equal(before, Snapshot(model));
    }

    [Fact]
    public void Parameters_BadIndexOrLength_Throw()
    {
        using var model = new RnnLanguageModel<float>(10, 4);
        Assert.Equal((4, 10), model.Weights.Shape(RnnParameter.U));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Weights[RnnParameter.U, 4, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Weights[RnnParameter.W, 0, 4]);
        var e = Assert.Throws<ArgumentException>(() => model.Weights.CopyFrom(RnnParameter.V, new float[39]));
        Assert.Contains("40", e.Message);
    }

    [Fact]
    public void Model_AfterDispose_ThrowsObjectDisposed()
    {
        var model = new RnnLanguageModel<float>(10, 4);
        model.Dispose();
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.SgdStep([1], [2], 0.1f));
        Assert.Throws<ObjectDisposedException>(() => model.TotalLoss([1], [2]));
        Assert.Throws<ObjectDisposedException>(() => model.Generate(0, 1, 5, new Random(1)));
        Assert.Throws<ObjectDisposedException>(() => model.Weights.CopyTo(RnnParameter.U, new float[40]));
    }

    [Fact]
    public void Generate_BadArguments_Throw()
    {
        using var model = new RnnLanguageModel<float>(10, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Generate(10, 1, 5, new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Generate(0, 1, -1, new Random(1)));
        Assert.Throws<ArgumentNullException>(() => model.Generate(0, 1, 5, null!));
    }

    private static double[] Snapshot(RnnLanguageModel<float> model)
        => [.. ReferenceBridge.Dense(model.Weights, RnnParameter.U), .. ReferenceBridge.Dense(model.Weights, RnnParameter.V),
            .. ReferenceBridge.Dense(model.Weights, RnnParameter.W)];
}
