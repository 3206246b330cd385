using SimdRnn.Reference;
using Xunit;

namespace SimdRnn.Tests.Reference;

/// <summary>A bad batch or size fails with an ArgumentException whose ParamName names the field.</summary>
public class ReferenceSequenceBadBatchTests
{
    private const int T = 3, B = 2, H = 4, L = 2, C = 5, O = 3;

    private static ReferenceSequenceModel Model(ReferenceCell cell, ReferenceInput input, ReferenceHead head) =>
        new(cell, input, C, 2, H, L, bias: true, head, O);

    private static ReferenceBatch Valid(ReferenceInput input) => new()
    {
        T = T, B = B,
        Dense = input == ReferenceInput.Dense ? new double[T * B * C] : null,
        Tokens = input == ReferenceInput.Dense ? null : [0, 1, 2, 3, 4, 0],
        Lengths = [3, 1],
        H0 = new double[L * B * H],
        TokenTargets = [0, 1, 2, -100, 1, -100],
        ClassTargets = [0, 2],
        ValueTargets = new double[B * O],
    };

    [Theory]
    [InlineData(ReferenceInput.Dense, ReferenceHead.LanguageModel)]
    [InlineData(ReferenceInput.OneHot, ReferenceHead.Classification)]
    [InlineData(ReferenceInput.Embedding, ReferenceHead.Regression)]
    public void ValidBatch_Runs(ReferenceInput input, ReferenceHead head)
    {
        var result = Model(ReferenceCell.Lstm, input, head).Run(Valid(input));
        Assert.True(double.IsFinite(result.Loss));
    }

    [Theory]
    [InlineData("T", "T")]
    [InlineData("B", "B")]
    [InlineData("Lengths null", "Lengths")]
    [InlineData("Lengths short", "Lengths")]
    [InlineData("Length 0", "Lengths")]
    [InlineData("Length T+1", "Lengths")]
    [InlineData("Dense null", "Dense")]
    [InlineData("Dense short", "Dense")]
    [InlineData("H0 short", "H0")]
    [InlineData("C0 long", "C0")]
    [InlineData("TokenTargets null", "TokenTargets")]
    [InlineData("TokenTargets out of range", "TokenTargets")]
    [InlineData("TokenTargets negative at a valid step", "TokenTargets")]
    public void BadBatch_DenseLanguageModel_ThrowsNamingTheField(string mutation, string field)
    {
        var batch = Valid(ReferenceInput.Dense);
        switch (mutation)
        {
            case "T": batch.T = 0; break;
            case "B": batch.B = -1; break;
            case "Lengths null": batch.Lengths = null!; break;
            case "Lengths short": batch.Lengths = [3]; break;
            case "Length 0": batch.Lengths[1] = 0; break;
            case "Length T+1": batch.Lengths[0] = T + 1; break;
            case "Dense null": batch.Dense = null; break;
            case "Dense short": batch.Dense = new double[T * B * C - 1]; break;
            case "H0 short": batch.H0 = new double[H]; break;
            case "C0 long": batch.C0 = new double[L * B * H + 1]; break;
            case "TokenTargets null": batch.TokenTargets = null; break;
            case "TokenTargets out of range": batch.TokenTargets![2] = O; break;
            case "TokenTargets negative at a valid step": batch.TokenTargets![3] = -1; batch.Lengths[1] = 2; break;
        }
        var model = Model(ReferenceCell.Lstm, ReferenceInput.Dense, ReferenceHead.LanguageModel);
        AssertNamesField(field, () => model.Run(batch));
        AssertNamesField(field, () => model.Loss(batch));
    }

    [Theory]
    [InlineData(ReferenceInput.OneHot, "Tokens null", "Tokens")]
    [InlineData(ReferenceInput.Embedding, "Tokens short", "Tokens")]
    [InlineData(ReferenceInput.OneHot, "Token C", "Tokens")]
    [InlineData(ReferenceInput.Embedding, "Token negative at a padded step", "Tokens")]
    [InlineData(ReferenceInput.OneHot, "ClassTargets null", "ClassTargets")]
    [InlineData(ReferenceInput.Embedding, "ClassTargets long", "ClassTargets")]
    [InlineData(ReferenceInput.OneHot, "ClassTarget O", "ClassTargets")]
    [InlineData(ReferenceInput.Embedding, "ClassTarget negative", "ClassTargets")]
    public void BadBatch_TokenClassification_ThrowsNamingTheField(ReferenceInput input, string mutation, string field)
    {
        var batch = Valid(input);
        switch (mutation)
        {
            case "Tokens null": batch.Tokens = null; break;
            case "Tokens short": batch.Tokens = [0, 1]; break;
            case "Token C": batch.Tokens![1] = C; break;
            case "Token negative at a padded step": batch.Tokens![5] = -1; break;
            case "ClassTargets null": batch.ClassTargets = null; break;
            case "ClassTargets long": batch.ClassTargets = [0, 1, 2]; break;
            case "ClassTarget O": batch.ClassTargets![1] = O; break;
            case "ClassTarget negative": batch.ClassTargets![0] = -1; break;
        }
        var model = Model(ReferenceCell.Gru, input, ReferenceHead.Classification);
        AssertNamesField(field, () => model.Run(batch));
    }

    [Theory]
    [InlineData(ReferenceCell.RnnTanh)]
    [InlineData(ReferenceCell.RnnRelu)]
    [InlineData(ReferenceCell.Gru)]
    public void C0_ForACellWithoutCellState_Throws(ReferenceCell cell)
    {
        var batch = Valid(ReferenceInput.Dense);
        batch.C0 = new double[L * B * H];
        AssertNamesField("C0", () => Model(cell, ReferenceInput.Dense, ReferenceHead.LanguageModel).Run(batch));
    }

    [Theory]
    [InlineData("ValueTargets null", "ValueTargets")]
    [InlineData("ValueTargets short", "ValueTargets")]
    public void BadBatch_Regression_ThrowsNamingTheField(string mutation, string field)
    {
        var batch = Valid(ReferenceInput.Dense);
        batch.ValueTargets = mutation == "ValueTargets null" ? null : new double[B * O - 1];
        AssertNamesField(field, () => Model(ReferenceCell.RnnTanh, ReferenceInput.Dense, ReferenceHead.Regression).Run(batch));
    }

    [Fact]
    public void NullBatch_Throws() =>
        Assert.Throws<ArgumentNullException>(() => Model(ReferenceCell.Lstm, ReferenceInput.Dense, ReferenceHead.Regression).Run(null!));

    [Theory]
    [InlineData(0, 2, 4, 1, 3, "inputSize")]
    [InlineData(5, 0, 4, 1, 3, "embeddingSize")]
    [InlineData(5, 2, 0, 1, 3, "hiddenSize")]
    [InlineData(5, 2, 4, 0, 3, "numLayers")]
    [InlineData(5, 2, 4, 1, 0, "outputSize")]
    public void Constructor_BadSize_ThrowsNamingTheArgument(int inputSize, int embeddingSize, int hiddenSize, int numLayers, int outputSize, string argument)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ReferenceSequenceModel(
            ReferenceCell.Gru, ReferenceInput.Embedding, inputSize, embeddingSize, hiddenSize, numLayers, true, ReferenceHead.LanguageModel, outputSize));
        Assert.Equal(argument, e.ParamName);
    }

    [Fact]
    public void EmbeddingSize_IsIgnored_ForDenseAndOneHotInput()
    {
        var model = new ReferenceSequenceModel(ReferenceCell.Lstm, ReferenceInput.OneHot, C, 0, H, L, false, ReferenceHead.LanguageModel, O);
        Assert.Equal(4 * H * C, model.Layers[0].WeightIh.Length);
        Assert.Equal(4 * H * H, model.Layers[1].WeightIh.Length);
        Assert.Null(model.Embedding);
        Assert.Null(model.Layers[0].BiasIh);
        Assert.Null(model.HeadBias);
    }

    private static void AssertNamesField(string field, Action run)
    {
        var e = Assert.ThrowsAny<ArgumentException>(run);
        Assert.IsNotType<ArgumentNullException>(e);
        Assert.Equal(field, e.ParamName);
        Assert.Contains(field, e.Message);
    }
}
